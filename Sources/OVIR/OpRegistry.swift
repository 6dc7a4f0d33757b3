/// The op types the IR reader can build, looked up by `<layer type version>`.
public struct OpRegistry {
    private var table: [String: any Op.Type] = [:]

    public init(_ types: [any Op.Type]) {
        for t in types { table[Self.key(t.type, t.version)] = t }
    }

    /// The op type for a layer; `type` matches case-insensitively, as in OpenVINO.
    public func lookup(type: String, version: String) -> (any Op.Type)? {
        table[Self.key(type, version)]
    }

    public var count: Int { table.count }

    private static func key(_ type: String, _ version: String) -> String {
        "\(type.lowercased())@\(version.lowercased())"
    }
}

extension OpRegistry {
    /// Every op this package defines.
    public static let builtin = OpRegistry(
        [Parameter.self, Constant.self, ResultOp.self, ShapeOf.self, Broadcast.self]
        // control flow (ops owning body graphs)
        + [If.self, Loop.self] as [any Op.Type]
        // math
        + [Add.self, Subtract.self, Multiply.self, Divide.self, Power.self, Maximum.self, Minimum.self,
           SquaredDifference.self, FloorMod.self, Mod.self,
           Equal.self, NotEqual.self, Greater.self, GreaterEqual.self, Less.self, LessEqual.self,
           LogicalAnd.self, LogicalOr.self, LogicalXor.self, LogicalNot.self, Select.self,
           Abs.self, Negative.self, Exp.self, Log.self, Sqrt.self, Floor.self, Ceiling.self, Erf.self, Sign.self,
           Sin.self, Cos.self, Tan.self, Asin.self, Acos.self, Atan.self, Sinh.self, Cosh.self,
           Asinh.self, Acosh.self, Atanh.self, Convert.self, ConvertLike.self, MatMul.self,
           ReduceMean.self, ReduceMax.self, ReduceMin.self, ReduceSum.self, ReduceProd.self,
           ReduceL1.self, ReduceL2.self, ReduceLogicalAnd.self, ReduceLogicalOr.self,
           Round.self, IsNaN.self, IsInf.self, IsFinite.self, BitwiseAnd.self, BitwiseOr.self, BitwiseXor.self,
           BitwiseNot.self, BitwiseLeftShift.self, BitwiseRightShift.self, CumSum.self, TopK.self, Einsum.self,
           NonMaxSuppression.self, MulticlassNms.self] as [any Op.Type]
        // signal processing
        + [DFT.self, IDFT.self, RDFT.self, IRDFT.self, STFT.self] as [any Op.Type]
        // shape and data movement
        + [Reshape.self, Concat.self, Transpose.self, Squeeze.self, Unsqueeze.self, Gather.self, Slice.self,
           StridedSlice.self, Split.self, VariadicSplit.self, RangeOp.self, Tile.self, Pad.self,
           GatherElements.self, GatherND.self, ScatterElementsUpdate.self, ScatterNDUpdate.self, ScatterUpdate.self,
           NonZero.self, OneHot.self, Reverse.self, ReverseSequence.self, Unique.self, Eye.self] as [any Op.Type]
        // neural-network ops
        + [Convolution.self, GroupConvolution.self, ConvolutionBackpropData.self, GroupConvolutionBackpropData.self,
           MaxPool.self, MaxPool14.self, AvgPool.self, AvgPool14.self, BatchNormInference.self, MVN.self, LRN.self,
           Interpolate.self, Softmax.self, LogSoftmax.self, Relu.self, Sigmoid.self, Tanh.self, HSigmoid.self,
           HSwish.self, Mish.self, SoftPlus.self, SoftSign.self, Clamp.self, Elu.self, Gelu.self, PRelu.self,
           HardSigmoid.self, Selu.self, Swish.self, DepthToSpace.self, SpaceToDepth.self, ShuffleChannels.self,
           DeformableConvolution.self, GridSample.self, FakeQuantize.self, Col2Im.self, ROIAlign.self,
           ScaledDotProductAttention.self] as [any Op.Type]
        // recurrent sequences
        + [LSTMSequence.self, GRUSequence.self, RNNSequence.self] as [any Op.Type]
    )
}
