/// Resizes the given axes by sizes or scales (v11: inputs data, scales_or_sizes, [axes]).
public struct Interpolate: Op {
    public enum Mode: String, IREnum {
        case nearest, linear
        case linearONNX = "linear_onnx"
        case cubic
        case bilinearPillow = "bilinear_pillow"
        case bicubicPillow = "bicubic_pillow"
    }
    public enum ShapeCalculationMode: String, IREnum { case sizes, scales }
    public enum CoordinateTransformationMode: String, IREnum {
        case halfPixel = "half_pixel"
        case pytorchHalfPixel = "pytorch_half_pixel"
        case asymmetric
        case tfHalfPixelForNN = "tf_half_pixel_for_nn"
        case alignCorners = "align_corners"
    }
    public enum NearestMode: String, IREnum {
        case roundPreferFloor = "round_prefer_floor"
        case roundPreferCeil = "round_prefer_ceil"
        case floor, ceil, simple
    }

    public static let type = "Interpolate"
    public static let version = "opset11"
    public var mode: Mode = .nearest
    public var shapeCalculationMode: ShapeCalculationMode = .sizes
    public var coordinateTransformationMode: CoordinateTransformationMode = .halfPixel
    public var nearestMode: NearestMode = .roundPreferFloor
    public var antialias = false
    public var padsBegin: [Int] = []
    public var padsEnd: [Int] = []
    public var cubeCoeff = -0.75
    public static var fields: [AttributeField<Self>] {
        [.init("mode", \.mode), .init("shape_calculation_mode", \.shapeCalculationMode),
         .init("coordinate_transformation_mode", \.coordinateTransformationMode),
         .init("nearest_mode", \.nearestMode), .init("antialias", \.antialias), .init("pads_begin", \.padsBegin),
         .init("pads_end", \.padsEnd), .init("cube_coeff", \.cubeCoeff)]
    }
    public init() {}

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 2...3)
        let data = inputs[0]
        for input in inputs.dropFirst() {
            if let r = input.shape.rank, r != 1 { throw ShapeInference.Failure("inputs after the first must be 1-D, got \(input.shape)") }
        }
        if shapeCalculationMode == .sizes, !(inputs[1].elementType.isInteger || inputs[1].elementType == .dynamic) {
            throw ShapeInference.Failure("sizes must be integers, got \(inputs[1].elementType)")
        }
        guard let d = data.shape.dims else { return [TensorType(data.elementType, .dynamicRank)] }
        let rank = d.count
        let axes: [Int]
        if inputs.count == 3 {
            guard let values = inputs[2].intValues else { return [TensorType(data.elementType, .dynamic(rank: rank))] }
            axes = try values.map { try ShapeInference.axis($0, rank: rank) }
        } else {
            axes = Array(0..<rank)
        }
        func pad(_ list: [Int], _ i: Int) -> Int { i < list.count ? list[i] : 0 }
        var out: [Dim] = d.enumerated().map { i, dim in
            let p = pad(padsBegin, i) + pad(padsEnd, i)
            return p == 0 ? dim : dim.value.map { .fixed(max($0 + p, 0)) } ?? .dynamic
        }
        let values: [Double]? = shapeCalculationMode == .sizes
            ? inputs[1].intValues?.map(Double.init) : inputs[1].constant?.doubleValues()
        guard let values else {
            // Sizes computed from dims may be known in part.
            let known = shapeCalculationMode == .sizes ? inputs[1].value : nil
            for (k, a) in axes.enumerated() { out[a] = known.flatMap { k < $0.count ? ShapeInference.size($0[k]) : nil } ?? .dynamic }
            return [TensorType(data.elementType, .ranked(out))]
        }
        guard values.count >= axes.count else {
            throw ShapeInference.Failure("\(values.count) \(shapeCalculationMode.rawValue) for \(axes.count) axes")
        }
        for (a, v) in zip(axes, values) {
            switch shapeCalculationMode {
            case .sizes:
                guard v >= 0 else { throw ShapeInference.Failure("negative size \(Int(v))") }
                out[a] = .fixed(Int(v))
            case .scales:
                // OpenVINO scales in f32 with a small epsilon, truncating.
                let scale = Float(v)
                guard scale.isFinite, scale >= 0 else { throw ShapeInference.Failure("scale \(v) is not a finite non-negative number") }
                if scale != 1, let x = out[a].value {
                    let size = Float(x) * (scale + 1e-6)
                    guard size < 1e15 else { throw ShapeInference.Failure("scale \(v) makes axis \(a) impossibly large") }
                    out[a] = .fixed(Int(size))
                } else if scale != 1 { out[a] = .dynamic }
            }
        }
        return [TensorType(data.elementType, .ranked(out))]
    }
}
