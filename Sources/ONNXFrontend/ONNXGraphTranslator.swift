import OVIR

/// Translates the initializers and nodes of a GraphProto into the session's current scope: the main graph and
/// every subgraph (If branches, Loop and Scan bodies) the same way. `path` is the graph's protobuf path
/// (`[7, 0]` for the main graph), which locates raw tensor data in the file.
struct ONNXGraphTranslator {
    let session: ImportSession
    let proto: Onnx_GraphProto
    let path: [Int]

    /// The initializers as Consts; returns their names.
    @discardableResult
    func translateInitializers() throws -> Set<String> {
        var names = Set<String>()
        for (i, t) in proto.initializer.enumerated() {
            let tensor = try session.decoder.tensor(t, path: path + [5, i], what: "initializer '\(t.name)'")
            try define(t.name, try session.graph.constant(tensor, name: session.uniqueName(t.name)), port: 0)
            names.insert(t.name)
        }
        return names
    }

    /// The nodes, in an order where every input is defined first (by a node here, or visible in the scope).
    func translateNodes() throws {
        for (k, index) in try topologicalOrder().enumerated() {
            let node = proto.node[index]
            let domain = ONNXModelFile.domain(node.domain)
            let opset = session.opsets[domain] ?? 1
            let base = node.name.isEmpty ? (node.output.first(where: { !$0.isEmpty }) ?? "\(node.opType)_\(k)") : node.name
            let ctx = NodeContext(session: session, proto: node, path: path + [1, index], opset: opset, name: base)
            guard let entry = session.table.lookup(domain: domain, op: node.opType, opset: opset) else {
                throw ONNXFrontendError(.unsupported, "\(session.modelPath): \(ctx.describe): \(domain)::\(node.opType)@\(opset) is not supported")
            }
            let outputs: [Output]
            do {
                outputs = try entry.translate(ctx)
            } catch let e as ONNXFrontendError {
                throw e
            } catch {
                throw ctx.error("\(error)")
            }
            for (i, name) in node.output.enumerated() where !name.isEmpty {
                guard i < outputs.count else { throw ctx.error("output \(i) ('\(name)') is not produced by this translation") }
                try define(name, outputs[i], port: i)
            }
        }
    }

    /// Binds an ONNX tensor name to its IR value; every name may be defined once in a scope. The main graph's
    /// names become tensor names (the mapping file lists them); a subgraph's stay inside it.
    func define(_ name: String, _ value: Output, port: Int) throws {
        let scope = session.scope!
        guard !scope.isDefinedHere(name) else {
            throw ONNXFrontendError(.badNode, "\(session.modelPath): tensor '\(name)' is defined twice (by an initializer, input or node output)")
        }
        scope.define(name, value)
        guard scope.isTopLevel else { return }
        session.frameworkPorts[name] = port
        session.graph.addTensorNames([name], to: value)
    }

    /// Node indices in an order where every input is defined before use: the file's order when it
    /// already is (the usual case), otherwise a depth-first order that keeps the file's order where it can.
    /// A name no node here produces must be visible in the scope (an input, an initializer, an outer value).
    private func topologicalOrder() throws -> [Int] {
        let g = proto, scope = session.scope!
        func isExternal(_ name: String) -> Bool { name.isEmpty || scope.isVisible(name) }
        var defined = Set<String>()
        var producer: [String: Int] = [:]
        var sorted = true
        for (i, node) in g.node.enumerated() {
            if sorted, !node.input.allSatisfy({ defined.contains($0) || isExternal($0) }) { sorted = false }
            for out in node.output where !out.isEmpty {
                defined.insert(out)
                if producer[out] == nil { producer[out] = i }
            }
        }
        if sorted { return Array(g.node.indices) }

        enum Mark { case visiting, done }
        var marks: [Int: Mark] = [:]
        var order: [Int] = []
        for root in g.node.indices where marks[root] == nil {
            var stack: [(node: Int, next: Int)] = [(root, 0)]
            marks[root] = .visiting
            while let (i, next) = stack.last {
                let inputs = g.node[i].input
                if next == inputs.count {
                    stack.removeLast()
                    marks[i] = .done
                    order.append(i)
                    continue
                }
                stack[stack.count - 1].next += 1
                let name = inputs[next]
                guard let p = producer[name] else {
                    if isExternal(name) { continue }
                    throw ONNXFrontendError(.badNode, "\(session.modelPath): node '\(g.node[i].name)' (\(g.node[i].opType)) reads '\(name)', which no node, input or initializer defines")
                }
                switch marks[p] {
                case .done?: continue
                case .visiting?:
                    throw ONNXFrontendError(.badNode, "\(session.modelPath): node '\(g.node[i].name)' (\(g.node[i].opType)) is part of a cycle through '\(name)'")
                case nil:
                    marks[p] = .visiting
                    stack.append((p, 0))
                }
            }
        }
        return order
    }
}
