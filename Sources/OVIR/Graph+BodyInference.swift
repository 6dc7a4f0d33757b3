extension Graph {
    /// The types of the values the Results read if the Parameters at the given indices had the given types (the
    /// others keeping theirs), computed without changing the graph: how an If or Loop infers its output types
    /// for hypothetical inputs.
    public func resultTypes(parameterTypes: [Int: TensorType]) throws -> [TensorType] {
        for index in parameterTypes.keys where !parameters.indices.contains(index) {
            throw GraphError(node: name, "has no Parameter #\(index) (it has \(parameters.count))")
        }
        if parameterTypes.allSatisfy({ parameters[$0.key].outputTypes[0] == $0.value }) {
            return results.map { $0.inputs[0].type }
        }
        var types: [ObjectIdentifier: [TensorType]] = [:]
        var values: [ObjectIdentifier: [Dim]] = [:]
        for (index, type) in parameterTypes { types[ObjectIdentifier(parameters[index])] = [type] }
        for node in topologicalOrder() where types[ObjectIdentifier(node)] == nil {
            let inputs = try node.inputs.map { input -> InferenceInput in
                guard let known = types[ObjectIdentifier(input.node)] else {
                    throw GraphError(node: node.name, "is part of a cycle")
                }
                return InferenceInput(known[input.index], constant: input.constant,
                                      value: input.index == 0 ? values[ObjectIdentifier(input.node)] : nil)
            }
            types[ObjectIdentifier(node)] = try Self.infer(node.op, inputs, name: node.name)
            values[ObjectIdentifier(node)] = node.op.inferValue(inputs)
        }
        return try results.map { result in
            guard let t = types[ObjectIdentifier(result.inputs[0].node)] else { throw GraphError(node: result.name, "was not inferred") }
            return t[result.inputs[0].index]
        }
    }

    /// Sets the types of the Parameters at the given indices together, then re-infers what reads them.
    public func setParameterTypes(_ types: [Int: TensorType]) throws {
        var readers: [Node] = [], seen = Set<ObjectIdentifier>()
        for (index, type) in types.sorted(by: { $0.key < $1.key }) {
            guard parameters.indices.contains(index) else { throw GraphError(node: name, "has no Parameter #\(index)") }
            let parameter = parameters[index]
            guard parameter.outputTypes[0] != type else { continue }
            parameter.op = Parameter(elementType: type.elementType, shape: type.shape)
            parameter.outputTypes = [type]
            for use in parameter.uses[0] where seen.insert(ObjectIdentifier(use.node)).inserted { readers.append(use.node) }
        }
        if !readers.isEmpty { try reinferDownstream(readers) }
    }

    /// Gives the bodies of `op` (when it owns any) the Parameter types that `inputs` dictate. Errors name `name`
    /// (the owning node) and the body.
    static func retypeBodies(_ op: any Op, _ inputs: [Output], name: String) throws {
        guard let op = op as? any SubgraphOp else { return }
        let wanted: [[Int: TensorType]?]
        do { wanted = try op.bodyParameterTypes(inferenceInputs(inputs)) } catch let e as GraphError {
            throw e
        } catch {
            throw GraphError(node: name, "\(op.typeName): \(error)")
        }
        for ((body, bodyName), types) in zip(zip(op.bodies, type(of: op).bodyNames), wanted) {
            guard let types else { continue }
            do { try body.setParameterTypes(types) } catch let e as GraphError {
                throw GraphError(node: name, "\(bodyName): \(e)")
            }
        }
    }

    /// The body Parameters whose types differ from what `node`'s inputs dictate, as a message; nil when they agree.
    static func staleBodyParameters(of node: Node) throws -> String? {
        guard let op = node.op as? any SubgraphOp else { return nil }
        let wanted = try op.bodyParameterTypes(inferenceInputs(node.inputs))
        for ((body, bodyName), types) in zip(zip(op.bodies, type(of: op).bodyNames), wanted) {
            for (index, type) in (types ?? [:]).sorted(by: { $0.key < $1.key }) where body.parameters[index].outputTypes[0] != type {
                let p = body.parameters[index]
                return "\(bodyName) Parameter #\(index) '\(p.name)' is typed \(p.outputTypes[0]) but its input gives \(type)"
            }
        }
        return nil
    }
}
