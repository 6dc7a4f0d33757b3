import OVIR

/// Translates the nodes of a block in order, binding each node's outputs, and returns the block's results.
struct TSBlockTranslator {
    let session: TSImportSession
    var table: TSTranslatorTable = .standard

    /// Binds `arguments` to the block's parameters, translates its nodes, returns the values of its `->`/`return` list.
    func run(_ block: TSBlock, arguments: [TSValue]) throws -> [TSValue] {
        guard arguments.count == block.parameters.count else {
            throw TorchScriptFrontendError(.badNode, "\(session.dumpPath):\(block.line): the block takes \(block.parameters.count) "
                + "values, given \(arguments.count)")
        }
        for (p, v) in zip(block.parameters, arguments) { try define(p, v, port: 0) }
        for node in block.nodes { try translate(node) }
        return try block.returns.map { name in
            guard let v = try session.scope.lookup(name) else {
                throw TorchScriptFrontendError(.badNode, "\(session.dumpPath):\(block.line): the block returns %\(name), which is not defined")
            }
            return v
        }
    }

    private func translate(_ node: TSNode) throws {
        guard let translator = table.lookup(node.kind) else {
            throw TorchScriptFrontendError(.unsupported, "\(session.dumpPath):\(node.line): \(node.kind) is not supported")
        }
        let ctx = TSNodeContext(session: session, node: node, name: friendlyName(node))
        let outputs: [TSValue]
        do {
            outputs = try translator(ctx)
        } catch let e as TorchScriptFrontendError {
            throw e
        } catch {
            throw ctx.error("\(error)")
        }
        guard outputs.count == node.outputs.count else {
            throw ctx.error("the translation gives \(outputs.count) values for \(node.outputs.count) outputs")
        }
        for (i, (decl, value)) in zip(node.outputs, outputs).enumerated() { try define(decl, value, port: i) }
    }

    /// Binds a value name; tensors get the name as a tensor name (the mapping file lists them).
    private func define(_ decl: TSValueDecl, _ value: TSValue, port: Int) throws {
        guard !session.scope.isDefinedHere(decl.name) else {
            throw TorchScriptFrontendError(.badNode, "\(session.dumpPath):\(decl.line):\(decl.column): %\(decl.name) is defined twice")
        }
        session.scope.define(decl.name, value)
        // Body values stay out of the mapping file, which lists the graph's own layers.
        if session.scope.isTopLevel, case .tensor(let o) = value {
            session.frameworkPorts[decl.name] = port
            session.graph.addTensorNames([decl.name], to: o)
        }
    }

    /// The scope's module path when it names this node alone, else the path and the op (`model.0/aten::silu`);
    /// without a scope, the first output's name (weights lose their `self.` prefix).
    private func friendlyName(_ node: TSNode) -> String {
        if let path = node.modulePath, !node.kind.hasPrefix("prim::") {
            return session.modulePathCounts[path] == 1 ? path : "\(path)/\(node.kind)"
        }
        guard let first = node.outputs.first?.name else { return node.kind }
        return first.hasPrefix("self.") ? String(first.dropFirst(5)) : first
    }
}
