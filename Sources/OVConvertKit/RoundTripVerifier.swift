import Evaluator
import Foundation
import OpenVINOIR
import OVIR

/// `--verify`: reads a written IR back from disk and runs it and the source graph through the reference
/// evaluator on the same seeded random inputs, comparing every output. Both sides run the same kernels,
/// so anything beyond float noise means the XML/BIN lost or changed something.
public struct RoundTripVerifier: Sendable {
    /// `|ir - source| <= atol + rtol * |source|` per element.
    public var rtol: Double
    public var atol: Double

    public static let defaultRTol = 1e-5, defaultATol = 1e-6
    /// The default with `--half`: the IR computes with f16-rounded weights (each off by up to 2^-11), the
    /// source with f32 ones, so outputs differ by the sum of those roundings, not by float noise.
    public static let half = RoundTripVerifier(rtol: 1e-2, atol: 1e-3)
    /// `--nms`'s default: box corners are differences (cx - w/2) that cancel near 0, so a 1e-6 relative
    /// difference upstream (a fused Swish) is up to 1e-4 absolute there; 1e-3 pixels is still exact for a box.
    public static let nms = RoundTripVerifier(rtol: defaultRTol, atol: 1e-3)

    public init(rtol: Double = defaultRTol, atol: Double = defaultATol) {
        self.rtol = rtol
        self.atol = atol
    }

    /// Parses `--verify-tol RTOL[,ATOL]` (ATOL keeps its default when omitted); nil when malformed.
    public init?(tolerance text: String) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard (1...2).contains(parts.count), let r = Double(parts[0]), r.isFinite, r >= 0 else { return nil }
        var a = Self.defaultATol
        if parts.count == 2 {
            guard let v = Double(parts[1]), v.isFinite, v >= 0 else { return nil }
            a = v
        }
        self.init(rtol: r, atol: a)
    }

    /// Verifies the IR at `xmlURL` (its `.bin` next to it) against `source`, the graph that was written, on
    /// `given` inputs (by Parameter name, from `--verify-inputs`) or else on seeded random ones.
    public func verify(source: Graph, xmlURL: URL, given: [(input: String, tensor: Tensor)]? = nil) throws -> VerificationReport {
        // An op without a kernel makes verification impossible (checked on the source before anything runs).
        let evaluator = Evaluator()
        let missing = evaluator.missingKernels(in: source)
        if !missing.isEmpty { throw VerificationError(.noKernel(missing)) }
        let (feeds, inputs, notes) = try given.map { given in
            (Dictionary(uniqueKeysWithValues: given.map { ($0.input, $0.tensor) }),
             given.map { "\($0.input) \($0.tensor.elementType) [\($0.tensor.dims.map(String.init).joined(separator: ","))] from --verify-inputs" },
             [String]())
        } ?? Self.randomInputs(for: source)
        let expected: [Tensor]
        do {
            expected = try evaluator.run(source, inputs: feeds)
        } catch {
            // A dynamic dim set to 1 is often too small for the model (strided downsampling, concats).
            let hint = notes.isEmpty ? "" : " (\(notes.joined(separator: "; ")); give static shapes with --input)"
            throw VerificationError(.cannotEvaluateSource("\(error)\(hint)"))
        }
        let ir: Graph
        do {
            ir = try IRReader().read(xmlURL: xmlURL)
        } catch {
            throw VerificationError(.roundTripBroken("cannot read \(xmlURL.lastPathComponent) back: \(error)"))
        }
        let actual: [Tensor]
        do {
            actual = try evaluator.run(ir, inputs: feeds)
        } catch {
            throw VerificationError(.roundTripBroken("the IR read back fails to evaluate: \(error)"))
        }
        guard actual.count == expected.count else {
            throw VerificationError(.roundTripBroken("the IR read back has \(actual.count) outputs, the source \(expected.count)"))
        }
        let outputs = zip(source.results, zip(expected, actual)).map { result, pair in
            compare(name: result.name, source: pair.0, ir: pair.1)
        }
        return VerificationReport(rtol: rtol, atol: atol, inputs: inputs, notes: notes, outputs: outputs)
    }

    func compare(name: String, source s: Tensor, ir t: Tensor) -> VerificationReport.OutputComparison {
        func mismatch(_ why: String) -> VerificationReport.OutputComparison {
            .init(name: name, maxAbs: .infinity, maxRel: .infinity, nonFiniteMismatches: 0, typeMismatch: why, ok: false)
        }
        guard s.elementType == t.elementType, s.dims == t.dims else {
            return mismatch("source \(s.elementType) \(s.dims), IR \(t.elementType) \(t.dims)")
        }
        guard let a = s.doubleValues(), let b = t.doubleValues() else {
            // Non-numeric (string) outputs: exact equality.
            return s == t ? .init(name: name, maxAbs: 0, maxRel: 0, nonFiniteMismatches: 0, typeMismatch: nil, ok: true)
                : mismatch("\(s.elementType) values differ")
        }
        var maxAbs = 0.0, maxRel = 0.0, nonFinite = 0, within = true
        for (x, y) in zip(a, b) {
            guard x.isFinite && y.isFinite else {
                let same = (x.isNaN && y.isNaN) || x == y
                if !same { nonFinite += 1 }
                continue
            }
            let d = abs(y - x)
            maxAbs = max(maxAbs, d)
            if x != 0 { maxRel = max(maxRel, d / abs(x)) }
            if d > atol + rtol * abs(x) { within = false }
        }
        return .init(name: name, maxAbs: maxAbs, maxRel: maxRel, nonFiniteMismatches: nonFinite, typeMismatch: nil,
                     ok: within && nonFinite == 0)
    }

    /// One tensor per Parameter from a SplitMix64 stream with a fixed seed: floats uniform in [0, 1),
    /// integers in 0...3, booleans 0/1. Dynamic dims take their lower bound if > 0, else 1; the dynamic
    /// height and width of a 4-D input take the model's `imgsz` metadata when it has one (an Ultralytics
    /// export's image size), since 1×1 images rarely fit a detector.
    static func randomInputs(for graph: Graph) throws -> (feeds: [String: Tensor], inputs: [String], notes: [String]) {
        var rng = SplitMix64(seed: 0x6F76_636F_6E76_6572)  // "ovconver"
        var feeds: [String: Tensor] = [:], inputs: [String] = [], notes: [String] = []
        let imgsz = imageSize(graph)
        for node in graph.parameters {
            let type = node.outputTypes[0]
            guard let shapeDims = type.shape.dims else {
                throw VerificationError(.cannotEvaluateSource("input '\(node.name)' has a dynamic rank; give it a shape with --input"))
            }
            var dims = shapeDims.map { $0.value ?? ($0.lower > 0 ? $0.lower : 1) }
            var fromMetadata = false
            if let imgsz, shapeDims.count == 4 {
                for (axis, size) in zip([2, 3], imgsz) where !shapeDims[axis].isStatic && shapeDims[axis].isCompatible(with: .fixed(size)) {
                    dims[axis] = size
                    fromMetadata = true
                }
            }
            if !type.shape.isStatic {
                notes.append("input '\(node.name)' [\(type.shape)] is dynamic; verified with [\(dims.map(String.init).joined(separator: ","))]"
                    + (fromMetadata ? " (height and width from the model's imgsz metadata)" : ""))
            }
            let n = dims.reduce(1, *)
            let tensor: Tensor
            func ints<T: FixedWidthInteger>(_: T.Type) -> Tensor {
                Tensor(type.elementType, dims: dims, integers: (0..<n).map { _ in T(truncatingIfNeeded: rng.next() % 4) })
            }
            switch type.elementType {
            case .f32: tensor = .f32((0..<n).map { _ in rng.nextUnitFloat() }, dims: dims)
            case .f64: tensor = Tensor(.f64, dims: dims, integers: (0..<n).map { _ in Double(rng.nextUnitFloat()).bitPattern })
            case .f16: tensor = Tensor(.f16, dims: dims, integers: (0..<n).map { _ in Float16(rng.nextUnitFloat()).bitPattern })
            case .boolean: tensor = .boolean((0..<n).map { _ in rng.next() & 1 == 1 }, dims: dims)
            case .i64: tensor = ints(Int64.self)
            case .i32: tensor = ints(Int32.self)
            case .i16: tensor = ints(Int16.self)
            case .i8: tensor = ints(Int8.self)
            case .u64: tensor = ints(UInt64.self)
            case .u32: tensor = ints(UInt32.self)
            case .u16: tensor = ints(UInt16.self)
            case .u8: tensor = ints(UInt8.self)
            default:
                throw VerificationError(.cannotEvaluateSource("input '\(node.name)' has element type \(type.elementType), which --verify cannot generate"))
            }
            feeds[node.name] = tensor
            inputs.append("\(node.name) \(type.elementType) [\(dims.map(String.init).joined(separator: ","))]")
        }
        return (feeds, inputs, notes)
    }
}

/// The model's image size from its `imgsz` metadata (`[640, 640]`, or `640` for both), if it has one.
private func imageSize(_ graph: Graph) -> [Int]? {
    guard case .value(let text)? = graph.rtInfo["framework", "metadata", "imgsz"] else { return nil }
    let numbers = text.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }.filter { $0 > 0 }
    switch numbers.count {
    case 1: return [numbers[0], numbers[0]]
    case 2: return numbers
    default: return nil
    }
}

/// Why `--verify` could not compare, or found the written IR broken before comparing values.
public struct VerificationError: Error, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Op types the evaluator has no kernel for (sorted): the model cannot be verified.
        case noKernel([String])
        /// The source graph cannot be evaluated (input type, dynamic rank, a kernel's limits).
        case cannotEvaluateSource(String)
        /// The IR on disk cannot be read back or evaluated although the source could: the round trip broke.
        case roundTripBroken(String)
    }

    public let kind: Kind

    public init(_ kind: Kind) { self.kind = kind }

    public var description: String {
        switch kind {
        case .noKernel(let types):
            "--verify cannot run: the evaluator has no kernel for op type\(types.count == 1 ? "" : "s") \(types.joined(separator: ", "))"
        case .cannotEvaluateSource(let why): "--verify cannot run: \(why)"
        case .roundTripBroken(let why): "--verify failed: \(why)"
        }
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny deterministic generator, the same stream on every platform.
struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 24 bits, exactly representable as Float.
    mutating func nextUnitFloat() -> Float { Float(next() >> 40) / Float(1 << 24) }
}
