import OVIR

/// Runs a graph on concrete input tensors with the reference kernels of `Kernels/`.
///
/// Nodes run in `graph.topologicalOrder()`; a node's values are dropped after their last reader ran,
/// so memory stays near the live set rather than the whole graph.
public struct Evaluator {
    /// The kernels by op type (`Convolution`, `SoftMax`, ...), gathered once from the per-family tables.
    static let kernels: [String: Kernel] = {
        var table: [String: Kernel] = [:]
        for family in families {
            for (type, kernel) in family {
                precondition(table[type] == nil, "two kernels for op type \(type)")
                table[type] = kernel
            }
        }
        return table
    }()

    var kernels: [String: Kernel] { Evaluator.kernels }

    public init() {}

    /// The op families, one table per file under `Kernels/`.
    static let families: [[String: Kernel]] = [
        graphKernels, controlFlowKernels, elementwiseKernels, unaryMathKernels, convolutionKernels, matMulKernels, poolingKernels,
        softmaxKernels, dataMovementKernels, interpolateKernels, normalizationKernels, reductionKernels,
        indexingKernels, sortingKernels, nmsKernels, gridSampleKernels, col2ImKernels, roiAlignKernels, scatterKernels, cumSumKernels, einsumKernels, recurrentKernels, quantizationKernels,
        fourierKernels, attentionKernels,
    ]

    /// The op types that have a kernel, sorted.
    public var supportedOpTypes: [String] { kernels.keys.sorted() }

    /// The op types in `graph` and its body graphs that have no kernel, sorted.
    public func missingKernels(in graph: Graph) -> [String] {
        var types = Set<String>()
        graph.walk { g, _ in for node in g.topologicalOrder() { types.insert(node.op.typeName) } }
        return types.filter { kernels[$0] == nil }.sorted()
    }

    /// Whether `op`'s type has a kernel.
    public func hasKernel(for op: any Op) -> Bool { kernels[op.typeName] != nil }

    /// `tensor`'s values in another element type, as the Convert kernel computes them.
    public func convert(_ tensor: Tensor, to type: ElementType) throws -> Tensor {
        try convertElements(tensor, to: type)
    }

    /// Runs `node`'s kernel on `inputs`, one value per node input (constant folding evaluates one node this way).
    /// Errors name the node.
    public func evaluate(_ node: Node, inputs: [Tensor]) throws -> [Tensor] {
        guard hasKernel(for: node.op) else { throw EvaluatorError(node: node, "no kernel for op \(node.op.typeName)") }
        guard inputs.count == node.inputs.count else {
            throw EvaluatorError(node: node, "given \(inputs.count) input values, the node has \(node.inputs.count) inputs")
        }
        return try evaluate(node, inputs, feeds: [:])
    }

    private func evaluate(_ node: Node, _ args: [Tensor], feeds: [String: Tensor]) throws -> [Tensor] {
        guard let kernel = kernels[node.op.typeName] else { throw EvaluatorError(node: node, "no kernel for op \(node.op.typeName)") }
        let outputs: [Tensor]
        do {
            outputs = try kernel(KernelContext(node: node, inputs: args, feeds: feeds))
        } catch let error as EvaluatorError {
            throw error
        } catch {
            throw EvaluatorError(node: node, "\(error)")
        }
        guard !(node.op is ResultOp) else { return outputs }
        guard outputs.count == node.outputCount else {
            throw EvaluatorError(node: node, "kernel produced \(outputs.count) outputs, the node has \(node.outputCount)")
        }
        return try packed(outputs, of: node, inputs: args)
    }

    /// Evaluates `graph`, feeding each Parameter the tensor named after it (friendly name, or one of
    /// its output tensor names), and returns one tensor per Result, in result order.
    /// `observe`, when given, sees each top-level node's output values right after its kernel ran (calibration
    /// collects statistics this way); body graphs of If/Loop are not observed.
    public func run(_ graph: Graph, inputs: [String: Tensor], observe: ((Node, [Tensor]) throws -> Void)? = nil) throws -> [Tensor] {
        let missing = missingKernels(in: graph)
        if !missing.isEmpty {
            // The first such node, in a body when none is outside.
            let node = graph.allGraphs.lazy.flatMap { $0.topologicalOrder() }.first { missing.contains($0.op.typeName) }!
            throw EvaluatorError(node: node, "no kernel for op \(missing.count == 1 ? "" : "types ")\(missing.joined(separator: ", "))")
        }
        return try execute(graph, arguments: [:], feeds: inputs, observe: observe)
    }

    /// Runs a body graph with its Parameters given by position (an If or Loop kernel's call) and returns one
    /// tensor per Result. The Parameters' declared shapes do not bind: a back edge may change a value's shape
    /// from one iteration to the next, as OpenVINO re-infers the body then.
    func runBody(_ body: Graph, arguments: [Tensor]) throws -> [Tensor] {
        var given: [ObjectIdentifier: Tensor] = [:]
        for (parameter, value) in zip(body.parameters, arguments) {
            let type = parameter.outputTypes[0].elementType
            guard type == .dynamic || type == value.elementType else {
                throw EvaluatorError(node: parameter, "is given \(value.elementType), the Parameter is \(type)")
            }
            given[ObjectIdentifier(parameter)] = value
        }
        return try execute(body, arguments: given, feeds: [:])
    }

    /// Evaluates `graph` in topological order; Parameters in `arguments` take those values, the others their feeds.
    private func execute(_ graph: Graph, arguments: [ObjectIdentifier: Tensor], feeds: [String: Tensor],
                         observe: ((Node, [Tensor]) throws -> Void)? = nil) throws -> [Tensor] {
        let order = graph.topologicalOrder()
        // The position of each node's last reader (a Result holds its own reference to what it returns).
        var lastUse: [ObjectIdentifier: Int] = [:]
        for (position, node) in order.enumerated() {
            for input in node.inputs { lastUse[ObjectIdentifier(input.node)] = position }
        }
        var values: [ObjectIdentifier: [Tensor]] = [:]
        for (position, node) in order.enumerated() {
            if let given = arguments[ObjectIdentifier(node)] {
                values[ObjectIdentifier(node)] = [given]
                continue
            }
            let args = node.inputs.map { values[ObjectIdentifier($0.node)]![$0.index] }
            let outputs = try evaluate(node, args, feeds: feeds)
            if let observe { try observe(node, outputs) }
            values[ObjectIdentifier(node)] = outputs
            for input in Set(node.inputs.map { ObjectIdentifier($0.node) }) where lastUse[input] == position {
                values[input] = nil
            }
        }
        return try graph.results.map { result in
            guard let value = values[ObjectIdentifier(result)]?.first else {
                throw EvaluatorError(node: result, "was not evaluated")
            }
            return value
        }
    }
}

extension Evaluator {
    /// The kernel's outputs in the element types the node declares (f32 results of the float kernels become
    /// f16, bf16, f64 or a small float type; see `Tensor.floats()`); a type the graph left dynamic is
    /// inferred from the inputs.
    func packed(_ outputs: [Tensor], of node: Node, inputs: [Tensor]) throws -> [Tensor] {
        var inferred: [TensorType]?
        return try outputs.enumerated().map { i, tensor in
            guard tensor.elementType == .f32 else { return tensor }
            var type = node.outputTypes[i].elementType
            if type == .dynamic {
                if inferred == nil {
                    do {
                        inferred = try node.op.inferTypes(inputs.map { InferenceInput($0.type, constant: $0) })
                    } catch {
                        throw EvaluatorError(node: node, "\(error)")
                    }
                }
                type = inferred![i].elementType
            }
            return tensor.packed(as: type)
        }
    }
}

/// A kernel: the node's input values in, its output values out (a Result passes its input through).
typealias Kernel = (KernelContext) throws -> [Tensor]

/// What a kernel sees: the node (op attributes, friendly name) and the values of its inputs.
struct KernelContext {
    let node: Node
    let inputs: [Tensor]
    let feeds: [String: Tensor]

    /// The op, cast to the type the kernel expects.
    func op<O: Op>(_: O.Type) throws -> O {
        guard let op = node.op as? O else { throw KernelError("expected a \(O.type) op, got \(type(of: node.op))") }
        return op
    }

    /// The output dims, from the op's own type inference on the concrete inputs (so shape inputs such as
    /// Reshape's target or Interpolate's scales are read as the op reads them).
    func outputDims() throws -> [[Int]] {
        let infos = inputs.map { InferenceInput($0.type, constant: $0) }
        return try node.op.inferTypes(infos).map { type in
            guard let dims = type.shape.staticDims else { throw KernelError("output shape \(type.shape) is not static for the given inputs") }
            // Kernels multiply these dims freely; an element count that overflows is refused here, once.
            guard ShapeInference.checkedElementCount(dims) != nil else { throw KernelError("output shape \(type.shape) has too many elements") }
            return dims
        }
    }

    /// The single output's dims.
    func outputDims0() throws -> [Int] { try outputDims()[0] }
}

/// A kernel failure, before the evaluator names the node.
struct KernelError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

/// An evaluation failure, naming the node and its op type.
public struct EvaluatorError: Error, CustomStringConvertible {
    public let node: String
    public let opType: String
    public let message: String

    public init(node: String, opType: String, _ message: String) {
        self.node = node
        self.opType = opType
        self.message = message
    }

    init(node: Node, _ message: String) {
        self.init(node: node.name, opType: node.op.typeName, message)
    }

    public var description: String { "while evaluating \(opType) node '\(node)': \(message)" }
}
