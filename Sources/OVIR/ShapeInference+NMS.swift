/// Checks shared by the NMS ops (NonMaxSuppression, MulticlassNms): boxes `[B, N, 4]` and scores `[B, C, N]`.
extension ShapeInference {
    /// What the boxes and scores inputs say about the batch B, the box count N and the class count C; a dim
    /// is nil when neither input's rank is known, and each is the intersection of what both inputs say.
    struct NMSDims {
        var batch: Dim?
        var boxes: Dim?
        var classes: Dim?
    }

    /// Checks that boxes are `[B, N, 4]` and scores `[B, C, N]` of float elements (as far as they are known),
    /// with B and N agreeing, and returns B, N and C.
    static func nmsDims(boxes: TensorType, scores: TensorType) throws -> NMSDims {
        for (name, type) in [("boxes", boxes), ("scores", scores)] where type.elementType != .dynamic && !type.elementType.isFloatingPoint {
            throw Failure("\(name) must have a floating-point element type, got \(type.elementType)")
        }
        var result = NMSDims()
        if let b = boxes.shape.dims {
            guard b.count == 3 else { throw Failure("boxes must be 3-D [batch, boxes, 4], got [\(boxes.shape)]") }
            guard b[2].isCompatible(with: .fixed(4)) else { throw Failure("boxes must have 4 coordinates in their last dim, got [\(boxes.shape)]") }
            result.batch = b[0]
            result.boxes = b[1]
        }
        if let s = scores.shape.dims {
            guard s.count == 3 else { throw Failure("scores must be 3-D [batch, classes, boxes], got [\(scores.shape)]") }
            result.classes = s[1]
            if let b = result.batch {
                guard b.isCompatible(with: s[0]) else {
                    throw Failure("boxes [\(boxes.shape)] and scores [\(scores.shape)] differ in the batch dim")
                }
                result.batch = intersection(b, s[0])
            } else {
                result.batch = s[0]
            }
            if let n = result.boxes {
                guard n.isCompatible(with: s[2]) else {
                    throw Failure("boxes [\(boxes.shape)] and scores [\(scores.shape)] differ in the box count (boxes dim 1, scores dim 2)")
                }
                result.boxes = intersection(n, s[2])
            } else {
                result.boxes = s[2]
            }
        }
        return result
    }

    /// The sizes two compatible dims both allow.
    private static func intersection(_ a: Dim, _ b: Dim) -> Dim {
        let upper: Int? = switch (a.upper, b.upper) {
        case let (x?, y?): min(x, y)
        case let (x?, nil): x
        case let (nil, y?): y
        case (nil, nil): nil
        }
        return Dim(lower: max(a.lower, b.lower), upper: upper)
    }

    /// `a * b` of upper bounds; nil (unbounded) when either is, or the product overflows.
    static func boundProduct(_ a: Int?, _ b: Int?) -> Int? {
        guard let a, let b else { return nil }
        let (p, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? nil : p
    }
}
