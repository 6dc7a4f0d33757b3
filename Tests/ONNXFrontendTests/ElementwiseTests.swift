import XCTest
import OVIR
@testable import ONNXFrontend

final class ElementwiseTests: XCTestCase {
    private typealias B = ModelBuilder

    /// `op(a, b)` with the given input shapes and types.
    private func binary(_ op: String, opset: Int, _ a: [Int], _ b: [Int], elemType: Int32 = 1, outType: Int32 = 1,
                        _ attributes: [Onnx_AttributeProto] = []) -> ModelBuilder {
        var m = ModelBuilder()
        m.opset = opset
        m.input("a", a, elemType: elemType)
        m.input("b", b, elemType: elemType)
        m.node(op, ["a", "b"], ["y"], name: "n", attributes: attributes)
        m.output("y", elemType: outType)
        return m
    }

    func testLegacyBroadcastAlignsBAtAxis() throws {
        for op in ["Add", "Sub", "Mul", "Div", "Pow", "Greater"] {
            let m = binary(op, opset: 6, [2, 3, 4, 5], [3, 4], outType: op == "Greater" ? 9 : 1,
                           [B.attribute("broadcast", int: 1), B.attribute("axis", int: 1)])
            let y = try m.importGraph().results[0].inputs[0]
            XCTAssertEqual(y.shape, .fixed([2, 3, 4, 5]), op)
            let b = y.node.inputs[1]
            XCTAssertTrue(b.node.op is Unsqueeze, "\(op): \(b.node)")
            XCTAssertEqual(b.shape, .fixed([3, 4, 1]), op)
        }
    }

    func testLegacyBroadcastWithoutAxisAlignsTrailingDims() throws {
        let m = binary("Add", opset: 6, [2, 3], [3], [B.attribute("broadcast", int: 1)])
        let y = try m.importGraph().results[0].inputs[0]
        XCTAssertEqual(y.shape, .fixed([2, 3]))
        XCTAssertTrue(y.node.inputs[1].node.op is Parameter)
    }

    func testLegacyBroadcastErrors() throws {
        let unequal = binary("Add", opset: 6, [2, 3], [3]).importError()
        XCTAssertTrue(unequal?.contains("broadcast=0 needs equal shapes") == true, unequal ?? "imported")
        let misfit = binary("Mul", opset: 1, [2, 3], [3], [B.attribute("broadcast", int: 1), B.attribute("axis", int: 0)]).importError()
        XCTAssertTrue(misfit?.contains("does not match A dim 0") == true, misfit ?? "imported")
        let outside = binary("Mul", opset: 1, [2, 3], [3], [B.attribute("broadcast", int: 1), B.attribute("axis", int: 2)]).importError()
        XCTAssertTrue(outside?.contains("broadcast axis 2") == true, outside ?? "imported")
    }

    func testModernAddIgnoresBroadcastAttributes() throws {
        let m = binary("Add", opset: 7, [2, 3], [3])
        XCTAssertEqual(try m.importGraph().results[0].inputs[0].shape, .fixed([2, 3]))
    }

    private func cast(opset: Int, from: Int32 = 1, _ attributes: [Onnx_AttributeProto], outType: Int32) -> ModelBuilder {
        var m = ModelBuilder()
        m.opset = opset
        m.input("x", [3], elemType: from)
        m.node("Cast", ["x"], ["y"], name: "c", attributes: attributes)
        m.output("y", elemType: outType)
        return m
    }

    func testCastToFloat8SaturatesByDefault() throws {
        for (type, limit) in [(Int32(17), 448.0), (19, 57344)] {
            let y = try cast(opset: 19, [B.attribute("to", int: Int(type))], outType: type).importGraph().results[0].inputs[0]
            XCTAssertTrue(y.node.op is Convert)
            let select = y.node.inputs[0].node
            guard select.op is Select else { return XCTFail("not clamped: \(select)") }  // NaN kept, the rest clamped
            let clamp = try XCTUnwrap(select.inputs[2].node.op as? Clamp)
            XCTAssertEqual(clamp.min, -limit)
            XCTAssertEqual(clamp.max, limit)
        }
    }

    func testCastWithoutSaturateOrToOtherTypesDoesNotClamp() throws {
        let noSaturate = cast(opset: 19, [B.attribute("to", int: 17), B.attribute("saturate", int: 0)], outType: 17)
        XCTAssertTrue(try noSaturate.importGraph().results[0].inputs[0].node.inputs[0].node.op is Parameter)
        let toF16 = cast(opset: 19, [B.attribute("to", int: 10)], outType: 10)
        XCTAssertTrue(try toF16.importGraph().results[0].inputs[0].node.inputs[0].node.op is Parameter)
    }

    func testCastOfFloatsToFourBitIntegersGoesThroughI32() throws {
        // UINT4 = 21, INT4 = 22: float -> i32 -> 4-bit (wrapping is specified for integer sources only)
        for type in [21, 22] {
            let y = try cast(opset: 21, [B.attribute("to", int: type)], outType: Int32(type)).importGraph().results[0].inputs[0]
            let hop = y.node.inputs[0].node
            XCTAssertEqual((hop.op as? Convert)?.destinationType, .i32)
            XCTAssertTrue(hop.inputs[0].node.op is Parameter)
        }
    }

    func testCastBeforeOpset6TakesATypeName() throws {
        let y = try cast(opset: 5, [B.attribute("to", string: "INT64")], outType: 7).importGraph().results[0].inputs[0]
        XCTAssertEqual(y.elementType, .i64)
        let bad = cast(opset: 1, [B.attribute("to", string: "FLOATY")], outType: 1).importError()
        XCTAssertTrue(bad?.contains("unknown type name 'FLOATY'") == true, bad ?? "imported")
    }

    func testPowOfIntegerBaseAndFloatExponentIsComputedInFloat() throws {
        var m = ModelBuilder()
        m.input("x", [3], elemType: 6)
        m.input("e", [3], elemType: 1)
        m.node("Pow", ["x", "e"], ["y"], name: "p")
        m.output("y", elemType: 6)
        let y = try m.importGraph().results[0].inputs[0]
        XCTAssertEqual(y.elementType, .i32)
        guard y.node.op is Convert else { return XCTFail("not converted back: \(y.node)") }
        let power = y.node.inputs[0].node
        XCTAssertTrue(power.op is Power)
        XCTAssertEqual(power.inputs[0].elementType, .f32)
        XCTAssertTrue(power.inputs[1].node.op is Parameter)
    }

    func testPowOfIntegersKeepsTheBaseType() throws {
        var m = ModelBuilder()
        m.input("x", [3], elemType: 6)
        m.input("e", [3], elemType: 7)
        m.node("Pow", ["x", "e"], ["y"], name: "p")
        m.output("y", elemType: 6)
        let y = try m.importGraph().results[0].inputs[0]
        XCTAssertTrue(y.node.op is Power)
        XCTAssertEqual(y.node.inputs[1].elementType, .i32)
    }

    func testBitShiftUsesTheWrappingShiftOps() throws {
        for (direction, type) in [("LEFT", BitwiseLeftShift.type), ("RIGHT", BitwiseRightShift.type)] {
            var m = binary("BitShift", opset: 11, [3], [3], elemType: 3, outType: 3, [B.attribute("direction", string: direction)])
            m.opset = 11
            let g = try m.importGraph()
            XCTAssertTrue(g.nodes.contains { $0.op.typeName == type }, direction)
            XCTAssertFalse(g.nodes.contains { $0.op is Multiply || $0.op is Power }, direction)
        }
    }

    func testEqualOnStringsIsAnErrorNamingTheNode() throws {
        let error = binary("Equal", opset: 19, [2], [2], elemType: 8, outType: 9).importError()
        XCTAssertTrue(error?.contains("node 'n'") == true && error?.contains("strings") == true, error ?? "imported")
    }
}
