import OVIR

/// The post-processing of a YOLO-style detection head, which INT8 keeps in float: everything between the
/// detection output that `--nms` recognises (`DetectionHead`) and the head's last convolutions (DFL's
/// softmax and fixed 1×1 convolution, box decoding with anchors and strides, the score sigmoid, the concats).
/// Quantizing it would put 8-bit grids on box coordinates in pixels and on scores that NMS thresholds.
public struct FloatDetectionHead {
    /// The nodes kept in float.
    public let nodes: Set<ObjectIdentifier>
    /// The convolutions the walk stopped at (the raw box and class logits), which stay quantizable.
    public let lastConvolutions: [Node]
    /// The detection output's Result.
    public let result: Node

    /// Whether `node` is part of the float post-processing.
    public func contains(_ node: Node) -> Bool { nodes.contains(ObjectIdentifier(node)) }

    /// The float post-processing of `graph`'s detection head, or nil when no output is a YOLO-style head or
    /// when walking back from it reaches a model input before convolutions (then it is no head to keep).
    public static func find(in graph: Graph) -> FloatDetectionHead? {
        guard let head = try? DetectionHead.find(in: graph, layout: nil, classCount: nil) else { return nil }
        var nodes = Set<ObjectIdentifier>(), last: [Node] = [], seen = Set<ObjectIdentifier>()
        var stack = [head.prediction.node]
        while let node = stack.popLast() {
            guard seen.insert(ObjectIdentifier(node)).inserted else { continue }
            if node.op is Parameter { return nil }
            if node.op is Constant { continue }
            if node.op is any ConvolutionOp, !isDFL(node) {
                last.append(node)
                continue
            }
            nodes.insert(ObjectIdentifier(node))
            stack += node.inputs.map(\.node)
        }
        guard !last.isEmpty else { return nil }
        return FloatDetectionHead(nodes: nodes, lastConvolutions: last.sorted { $0.id < $1.id }, result: head.result)
    }

    /// A DFL convolution: its data input is a softmax over the distribution bins, through reshapes and transposes.
    static func isDFL(_ conv: Node) -> Bool {
        var node = conv.inputs[0].node
        while node.op is Reshape || node.op is Transpose || node.op is Squeeze || node.op is Unsqueeze {
            node = node.inputs[0].node
        }
        return node.op.typeName == "SoftMax" || node.op.typeName == "Softmax"
    }
}
