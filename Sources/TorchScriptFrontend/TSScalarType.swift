import OVIR

/// PyTorch's scalar types: the names tensor annotations print (`Float`, `Long`) and the codes that dtype
/// arguments hold in traced graphs (c10's ScalarType numbering), as OpenVINO element types.
enum TSScalarType {
    /// `Float(1, 3)` → f32; nil for types OpenVINO has no element type for (complex, quantized).
    static func elementType(name: String) -> ElementType? {
        switch name {
        case "Float": return .f32
        case "Double": return .f64
        case "Half": return .f16
        case "BFloat16": return .bf16
        case "Long": return .i64
        case "Int": return .i32
        case "Short": return .i16
        case "Char": return .i8
        case "Byte": return .u8
        case "Bool": return .boolean
        case "Float8_e4m3fn": return .f8e4m3
        case "Float8_e5m2": return .f8e5m2
        default: return nil
        }
    }

    /// The dtype code of `aten::to(x, 6, ...)` and friends → element type.
    static func elementType(code: Int) -> ElementType? {
        let table: [Int: ElementType] = [0: .u8, 1: .i8, 2: .i16, 3: .i32, 4: .i64, 5: .f16, 6: .f32, 7: .f64, 11: .boolean,
                                         15: .bf16, 23: .f8e5m2, 24: .f8e4m3]
        return table[code]
    }

    /// The numpy dtype names of the weights file's `inputs` metadata.
    static func elementType(numpyName: String) -> ElementType? {
        let table: [String: ElementType] = ["float32": .f32, "float64": .f64, "float16": .f16, "bfloat16": .bf16, "int64": .i64,
                                            "int32": .i32, "int16": .i16, "int8": .i8, "uint8": .u8, "bool": .boolean]
        return table[numpyName]
    }
}
