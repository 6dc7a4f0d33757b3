import OVIR

/// ONNX `TensorProto.DataType` numbers and their OpenVINO element types.
enum ONNXElementType {
    /// The OpenVINO type for an ONNX data type, or nil when OpenVINO has none.
    static func elementType(_ dataType: Int32) -> ElementType? {
        switch dataType {
        case 1: return .f32
        case 2: return .u8
        case 3: return .i8
        case 4: return .u16
        case 5: return .i16
        case 6: return .i32
        case 7: return .i64
        case 8: return .string
        case 9: return .boolean
        case 10: return .f16
        case 11: return .f64
        case 12: return .u32
        case 13: return .u64
        case 16: return .bf16
        case 17: return .f8e4m3
        case 19: return .f8e5m2
        case 21: return .u4
        case 22: return .i4
        case 23: return .f4e2m1
        case 24: return .f8e8m0
        case 25: return .u2
        default: return nil
        }
    }

    /// The ONNX name of a data type, for error messages.
    static func name(_ dataType: Int32) -> String {
        let names = [0: "UNDEFINED", 1: "FLOAT", 2: "UINT8", 3: "INT8", 4: "UINT16", 5: "INT16", 6: "INT32", 7: "INT64",
                     8: "STRING", 9: "BOOL", 10: "FLOAT16", 11: "DOUBLE", 12: "UINT32", 13: "UINT64", 14: "COMPLEX64",
                     15: "COMPLEX128", 16: "BFLOAT16", 17: "FLOAT8E4M3FN", 18: "FLOAT8E4M3FNUZ", 19: "FLOAT8E5M2",
                     20: "FLOAT8E5M2FNUZ", 21: "UINT4", 22: "INT4", 23: "FLOAT4E2M1", 24: "FLOAT8E8M0", 25: "UINT2", 26: "INT2"]
        return names[Int(dataType)] ?? "type \(dataType)"
    }
}
