import OVIR

/// How a YOLO-style detection output lays out each candidate box.
public enum DetectionLayout: String, CaseIterable, Sendable {
    /// `[B, 4+nc(+extra), N]`: cx, cy, w, h in input pixels, then class scores (YOLOv8, v9, v11).
    case yolov8
    /// `[B, N, 5+nc(+extra)]`: cx, cy, w, h, objectness, then class scores, which objectness multiplies (YOLOv5, v7).
    case yolov5
}

/// The detection output `--nms` post-processes: which Result, its layout, and how its channels divide into
/// box, (objectness,) class scores and extra channels that ride along per box (mask coefficients, keypoints).
public struct DetectionHead {
    /// The Result whose input is the raw detection tensor.
    public let result: Node
    public let layout: DetectionLayout
    public let classes: Int
    public let extra: Int

    /// The raw detection tensor.
    public var prediction: Output { result.inputs[0] }

    /// Ops that mean a model already selects its boxes.
    public static let nmsOpTypes: Set<String> = ["NonMaxSuppression", "MulticlassNms", "MatrixNms", "ExperimentalDetectronDetectionOutput", "DetectionOutput"]

    /// Finds the detection output of `graph`. `layout` forces the layout where the shape cannot tell it;
    /// `classCount` (from the model's `names` or `--names`) tells the class channels from the extra ones.
    /// Throws `NMSRefusal` naming the outputs and their shapes when there is none, or when the model
    /// already ends in NMS.
    public static func find(in graph: Graph, layout: DetectionLayout?, classCount: Int?) throws -> DetectionHead {
        if let nms = graph.nodes.first(where: { nmsOpTypes.contains($0.op.typeName) }) {
            throw NMSRefusal("the model already selects its boxes: it has \(nms.op.typeName) node '\(nms.name)'")
        }
        var reasons: [String] = []
        for result in graph.results {
            switch match(result, layout: layout, classCount: classCount) {
            case .success(let head): return head
            case .failure(let why): reasons.append("'\(result.name)' \(result.inputs[0].type): \(why.message)")
            }
        }
        throw NMSRefusal("no output is a YOLO-style detection head ([B, 4+nc, N] or [B, N, 5+nc]); "
            + reasons.joined(separator: "; "))
    }

    private static func match(_ result: Node, layout: DetectionLayout?, classCount: Int?) -> Result<DetectionHead, NMSRefusal> {
        let type = result.inputs[0].type
        guard type.elementType == .f32 || type.elementType == .f16 || type.elementType == .dynamic else {
            return .failure(NMSRefusal("element type \(type.elementType) is not a float"))
        }
        guard let dims = type.shape.dims, dims.count == 3 else { return .failure(NMSRefusal("not 3-D")) }
        let (a, b) = (dims[1].value, dims[2].value)
        // Final detections: [B, max_det, 6] (x1, y1, x2, y2, score, class), as end2end heads and NMS exports end.
        if layout == nil, b == 6, classCount.map({ $0 + 5 != 6 }) ?? true {
            return .failure(NMSRefusal("already final detections [B, max_det, 6] (an end2end or NMS export); "
                + "if it is a one-class YOLOv5 head, say --nms-layout yolov5"))
        }
        let chosen: DetectionLayout
        if let layout {
            chosen = layout
        } else if let a, b == nil || b! > a, classCount.map({ a >= 4 + $0 }) ?? true {
            chosen = .yolov8
        } else if let b, a == nil || a! > b, classCount.map({ b >= 5 + $0 }) ?? true {
            chosen = .yolov5
        } else {
            return .failure(NMSRefusal("neither layout fits (channels must be fixed and fewer than the boxes"
                + (classCount.map { ", with \($0) classes at least \($0 + 4) or \($0 + 5)" } ?? "") + ")"))
        }
        let fixed = chosen == .yolov8 ? 4 : 5
        guard let channels = chosen == .yolov8 ? a : b else {
            return .failure(NMSRefusal("the \(chosen.rawValue) layout needs a fixed channel count in dim \(chosen == .yolov8 ? 1 : 2)"))
        }
        let classes = classCount ?? channels - fixed
        guard classes >= 1, channels - fixed - classes >= 0 else {
            return .failure(NMSRefusal("\(channels) channels leave no room for \(fixed) box channels and \(classes) classes"))
        }
        return .success(DetectionHead(result: result, layout: chosen, classes: classes, extra: channels - fixed - classes))
    }
}

/// Why `--nms` cannot post-process a model.
public struct NMSRefusal: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
