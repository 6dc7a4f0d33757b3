import OVIR

// Element types narrower than f16 or i8. i4 and u4 (two per byte, the first element in the low nibble)
// join the integer kernels through `integers()`; f8e4m3, f8e5m2 and f4e2m1 join the float kernels through
// `floats()` and the evaluator's packing, like f16 does.

extension Tensor {
    /// The 4-bit fields of a packed tensor, the first element in the low nibble of the first byte.
    func nibbles() -> [UInt8] { bitFields(4) }

    /// The `bits`-wide fields of a packed tensor (4 or 2 bits), the first element in the lowest bits of
    /// the first byte, as OpenVINO packs u4/i4 and u2.
    func bitFields(_ bits: Int) -> [UInt8] {
        let bytes = self.bytes, perByte = 8 / bits, mask = UInt8((1 << bits) - 1)
        return (0..<elementCount).map { i in (bytes[i / perByte] >> UInt8(bits * (i % perByte))) & mask }
    }
}

/// Packs 4-bit fields two per byte, the first in the low nibble.
func packNibbles(_ fields: [UInt8]) -> [UInt8] { packBitFields(fields, bits: 4) }

/// Packs `bits`-wide fields (4 or 2 bits) into bytes, the first in the lowest bits.
func packBitFields(_ fields: [UInt8], bits: Int) -> [UInt8] {
    let perByte = 8 / bits, mask = UInt8((1 << bits) - 1)
    var packed = [UInt8](repeating: 0, count: (fields.count + perByte - 1) / perByte)
    for (i, field) in fields.enumerated() { packed[i / perByte] |= (field & mask) << UInt8(bits * (i % perByte)) }
    return packed
}

/// A small float format: a sign bit, `exponentBits` with bias 2^(e-1) - 1, and `mantissaBits`.
struct MiniFloat {
    let exponentBits: Int
    let mantissaBits: Int
    /// IEEE style (f8e5m2): the top exponent holds infinity and NaNs. Otherwise it holds finite values,
    /// except `nanCode` (f8e4m3: S.1111.111) where the format has one.
    let ieee: Bool
    let nanCode: UInt8?

    static let f8e4m3 = MiniFloat(exponentBits: 4, mantissaBits: 3, ieee: false, nanCode: 0x7F)
    static let f8e5m2 = MiniFloat(exponentBits: 5, mantissaBits: 2, ieee: true, nanCode: 0x7F)
    static let f4e2m1 = MiniFloat(exponentBits: 2, mantissaBits: 1, ieee: false, nanCode: nil)

    /// The finite non-negative values in code order (which is also value order).
    private(set) var finiteValues: [Float] = []

    init(exponentBits: Int, mantissaBits: Int, ieee: Bool, nanCode: UInt8?) {
        (self.exponentBits, self.mantissaBits, self.ieee, self.nanCode) = (exponentBits, mantissaBits, ieee, nanCode)
        finiteValues = (0..<Int(signBit)).map { decode(UInt8($0)) }.prefix { $0.isFinite }.map { $0 }
    }

    /// The format of `type`, when it is one of the small float types.
    init?(_ type: ElementType) {
        switch type {
        case .f8e4m3: self = .f8e4m3
        case .f8e5m2: self = .f8e5m2
        case .f4e2m1: self = .f4e2m1
        default: return nil
        }
    }

    private var signBit: UInt8 { 1 << UInt8(exponentBits + mantissaBits) }
    private var topExponent: Int { (1 << exponentBits) - 1 }

    func decode(_ code: UInt8) -> Float {
        let sign: Float = code & signBit != 0 ? -1 : 1
        let magnitude = code & (signBit - 1)
        if magnitude == nanCode.map({ $0 & (signBit - 1) }) { return .nan }
        let e = Int(magnitude) >> mantissaBits, m = Float(Int(magnitude) & ((1 << mantissaBits) - 1))
        if ieee && e == topExponent { return m == 0 ? sign * .infinity : .nan }
        let bias = (1 << (exponentBits - 1)) - 1
        let scale = Float(1 << mantissaBits)
        // Subnormals have exponent 1 - bias and no implicit leading 1.
        return sign * (e == 0 ? m / scale * Float.pow2(1 - bias) : (1 + m / scale) * Float.pow2(e - bias))
    }

    /// The code of the value nearest `x` (ties to the even code). Beyond the largest finite value by half
    /// a step or more: infinity where the format has it, else its NaN, else (f4e2m1) the largest value.
    /// NaN gives the format's NaN, or 0 for f4e2m1, which has none.
    func encode(_ x: Float) -> UInt8 {
        guard !x.isNaN else { return nanCode ?? 0 }
        let sign: UInt8 = x.sign == .minus ? signBit : 0
        let values = finiteValues
        let a = Swift.abs(x), top = values.count - 1
        if a >= values[top] + (values[top] - values[top - 1]) / 2 {
            if ieee { return sign | UInt8(topExponent << mantissaBits) }
            if let nanCode, a > values[top] { return sign | nanCode }
            return sign | UInt8(top)
        }
        // The first value not below a, and its lower neighbour.
        let upper = values.firstIndex { $0 >= a } ?? top
        guard upper > 0 else { return sign }
        let (low, high) = (values[upper - 1], values[upper])
        let code = a - low < high - a ? upper - 1 : a - low > high - a ? upper : (upper % 2 == 0 ? upper : upper - 1)
        return sign | UInt8(code)
    }
}

extension Float {
    /// 2ⁿ.
    static func pow2(_ n: Int) -> Float { Float(sign: .plus, exponent: n, significand: 1) }
}
