"""Builds testdata/yolo_tiny.onnx (+ _dynamic): a tiny YOLOv8-detect-shaped ONNX model with random weights, and
the dynamic variants with other heads that `--nms` must handle: testdata/yolo_tiny_v5.onnx (the YOLOv5 layout
[B, N, 5+nc], objectness in column 4) and testdata/yolo_tiny_seg.onnx (a segment model's [B, 4+nc+32, N], 32 mask
coefficients per box)."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = Path(__file__).resolve().parent.parent
OPSET = 17
IR_VERSION = 8
IMGSZ = 128
REG_MAX = 16
STRIDES = (8, 16, 32)
WIDTHS = (4, 8, 16, 16, 32)  # channels after the stride-2, 4, 8, 16, 32 stages
HEAD_WIDTH = 8  # hidden channels of both Detect branches (Ultralytics uses more)
COCO_NAMES = (
    "person bicycle car motorcycle airplane bus train truck boat traffic_light fire_hydrant stop_sign "
    "parking_meter bench bird cat dog horse sheep cow elephant bear zebra giraffe backpack umbrella "
    "handbag tie suitcase frisbee skis snowboard sports_ball kite baseball_bat baseball_glove skateboard "
    "surfboard tennis_racket bottle wine_glass cup fork knife spoon bowl banana apple sandwich orange "
    "broccoli carrot hot_dog pizza donut cake chair couch potted_plant bed dining_table toilet tv laptop "
    "mouse remote keyboard cell_phone microwave oven toaster sink refrigerator book clock vase scissors "
    "teddy_bear hair_drier toothbrush"
).split()
NAMES = [n.replace("_", " ") for n in COCO_NAMES]
NC = len(NAMES)


def node_scope(scope: str) -> str:
    """Torch-export node scope of a module path: "2.m.0.cv1" -> "/model.2/m/0/cv1"."""
    head, _, rest = scope.partition(".")
    return f"/model.{head}/{rest.replace('.', '/')}" if rest else f"/model.{head}"


class GraphBuilder:
    """Accumulates nodes and initializers with Ultralytics/torch-export-like names."""

    def __init__(self, seed: int = 0):
        self.rng = np.random.default_rng(seed)
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self.used_names: set[str] = set()

    def unique(self, name: str) -> str:
        """Returns name, suffixed with _N when it is already taken."""
        candidate, n = name, 0
        while candidate in self.used_names:
            n += 1
            candidate = f"{name}_{n}"
        self.used_names.add(candidate)
        return candidate

    def const(self, name: str, value: np.ndarray) -> str:
        """Adds an initializer and returns its name."""
        name = self.unique(name)
        self.initializers.append(numpy_helper.from_array(value, name))
        return name

    def op(self, op_type: str, scope: str, inputs: list[str], n_out: int = 1, **attrs) -> list[str]:
        """Adds a node named <scope>/<op_type> and returns its output names."""
        name = self.unique(f"{scope}/{op_type}")
        outputs = [f"{name}_output_{i}" for i in range(n_out)]
        self.nodes.append(helper.make_node(op_type, inputs, outputs, name=name, **attrs))
        return outputs

    def op1(self, op_type: str, scope: str, inputs: list[str], **attrs) -> str:
        """Adds a single-output node and returns its output name."""
        return self.op(op_type, scope, inputs, **attrs)[0]

    def conv(self, x: str, c1: int, c2: int, k: int, s: int, scope: str) -> str:
        """Conv with random (fan-in scaled) weights and a random bias."""
        w = (self.rng.standard_normal((c2, c1, k, k)) / np.sqrt(c1 * k * k)).astype(np.float32)
        b = (0.1 * self.rng.standard_normal(c2)).astype(np.float32)
        inputs = [x, self.const(f"model.{scope}.weight", w), self.const(f"model.{scope}.bias", b)]
        p = k // 2
        return self.op1("Conv", node_scope(scope), inputs, dilations=[1, 1], group=1,
                        kernel_shape=[k, k], pads=[p, p, p, p], strides=[s, s])

    def conv_silu(self, x: str, c1: int, c2: int, k: int, s: int, scope: str) -> str:
        """Ultralytics Conv block (BN fused): Conv + Sigmoid + Mul."""
        y = self.conv(x, c1, c2, k, s, f"{scope}.conv")
        sig = self.op1("Sigmoid", node_scope(f"{scope}.act"), [y])
        return self.op1("Mul", node_scope(f"{scope}.act"), [y, sig])

    def c2f(self, x: str, c1: int, c2: int, n: int, shortcut: bool, scope: str) -> str:
        """C2f: 1x1 conv, Split in two, n bottlenecks on the last half, Concat, 1x1 conv."""
        c = c2 // 2
        y = self.conv_silu(x, c1, 2 * c, 1, 1, f"{scope}.cv1")
        split = self.const(f"/model.{scope}/Constant_output_0", np.array([c, c], np.int64))
        parts = self.op("Split", f"/model.{scope}", [y, split], n_out=2, axis=1)
        for i in range(n):
            h = self.conv_silu(parts[-1], c, c, 3, 1, f"{scope}.m.{i}.cv1")
            h = self.conv_silu(h, c, c, 3, 1, f"{scope}.m.{i}.cv2")
            if shortcut:
                h = self.op1("Add", f"/model.{scope}/m.{i}", [parts[-1], h])
            parts.append(h)
        cat = self.op1("Concat", f"/model.{scope}", parts, axis=1)
        return self.conv_silu(cat, (2 + n) * c, c2, 1, 1, f"{scope}.cv2")

    def sppf(self, x: str, c1: int, c2: int, scope: str) -> str:
        """SPPF: 1x1 conv, three chained MaxPool k5 s1 p2, Concat, 1x1 conv."""
        c = c1 // 2
        y = [self.conv_silu(x, c1, c, 1, 1, f"{scope}.cv1")]
        for _ in range(3):
            y.append(self.op1("MaxPool", f"/model.{scope}/m", [y[-1]], ceil_mode=0, dilations=[1, 1],
                              kernel_shape=[5, 5], pads=[2, 2, 2, 2], strides=[1, 1]))
        cat = self.op1("Concat", f"/model.{scope}", y, axis=1)
        return self.conv_silu(cat, 4 * c, c2, 1, 1, f"{scope}.cv2")

    def upsample(self, x: str, scope: str) -> str:
        """Nearest ×2 Resize as torch exports nn.Upsample (scales input, asymmetric, floor)."""
        scales = self.const(f"/model.{scope}/Constant_output_0", np.array([1, 1, 2, 2], np.float32))
        return self.op1("Resize", f"/model.{scope}", [x, "", scales], coordinate_transformation_mode="asymmetric",
                        cubic_coeff_a=-0.75, mode="nearest", nearest_mode="floor")


def make_anchors(imgsz: int) -> tuple[np.ndarray, np.ndarray]:
    """Anchor centres [1,2,N] and strides [1,N] as Ultralytics make_anchors (offset 0.5)."""
    points, strides = [], []
    for s in STRIDES:
        n = imgsz // s
        sy, sx = np.meshgrid(np.arange(n) + 0.5, np.arange(n) + 0.5, indexing="ij")
        points.append(np.stack([sx.ravel(), sy.ravel()], 0))
        strides.append(np.full(n * n, s))
    return (np.concatenate(points, 1)[None].astype(np.float32),
            np.concatenate(strides)[None].astype(np.float32))


def build_backbone_neck(g: GraphBuilder, x: str) -> list[tuple[str, int]]:
    """YOLOv8 backbone + PAN neck; returns the (tensor, channels) of the P3, P4, P5 outputs."""
    w0, w1, w2, w3, w4 = WIDTHS
    x = g.conv_silu(x, 3, w0, 3, 2, "0")
    x = g.conv_silu(x, w0, w1, 3, 2, "1")
    x = g.c2f(x, w1, w1, 1, True, "2")
    x = g.conv_silu(x, w1, w2, 3, 2, "3")
    p3 = g.c2f(x, w2, w2, 1, True, "4")
    x = g.conv_silu(p3, w2, w3, 3, 2, "5")
    p4 = g.c2f(x, w3, w3, 1, True, "6")
    x = g.conv_silu(p4, w3, w4, 3, 2, "7")
    x = g.c2f(x, w4, w4, 1, True, "8")
    p5 = g.sppf(x, w4, w4, "9")
    x = g.op1("Concat", "/model.11", [g.upsample(p5, "10"), p4], axis=1)
    h4 = g.c2f(x, w4 + w3, w3, 1, False, "12")
    x = g.op1("Concat", "/model.14", [g.upsample(h4, "13"), p3], axis=1)
    out3 = g.c2f(x, w3 + w2, w2, 1, False, "15")
    x = g.op1("Concat", "/model.17", [g.conv_silu(out3, w2, w2, 3, 2, "16"), h4], axis=1)
    out4 = g.c2f(x, w2 + w3, w3, 1, False, "18")
    x = g.op1("Concat", "/model.20", [g.conv_silu(out4, w3, w3, 3, 2, "19"), p5], axis=1)
    out5 = g.c2f(x, w3 + w4, w4, 1, False, "21")
    return [(out3, w2), (out4, w3), (out5, w4)]


def shape_dims(g: GraphBuilder, scope: str, x: str, *axes: int) -> list[str]:
    """x.shape[axis] for each axis as torch exports it: one Shape, then a scalar Gather per axis."""
    shape = g.op1("Shape", scope, [x])
    return [g.op1("Gather", scope, [shape, g.const(f"{scope}/Constant_output_0", np.array(a, np.int64))], axis=0)
            for a in axes]


def view(g: GraphBuilder, scope: str, x: str, dims: list[str | int]) -> str:
    """x.view(*dims) with traced (scalar tensor) and Python-int dims: Unsqueeze + Concat + Reshape."""
    pieces = [g.op1("Unsqueeze", scope, [d, g.const(f"{scope}/Constant_output_0", np.array([0], np.int64))])
              if isinstance(d, str) else g.const(f"{scope}/Constant_output_0", np.array([d], np.int64))
              for d in dims]
    return g.op1("Reshape", scope, [x, g.op1("Concat", scope, pieces, axis=0)])


def traced_anchors(g: GraphBuilder, feats: list[str]) -> tuple[str, str]:
    """make_anchors(feats, strides, 0.5) as torch exports it: anchors [1,2,N] and strides [1,N] computed from
    each feature map's H and W (Shape/Gather, Range, meshgrid as Reshape/Expand, ConstantOfShape)."""
    d = "/model.22"
    points, strides = [], []

    def c(value: np.ndarray) -> str:
        return g.const(f"{d}/Constant_output_0", value)

    for feat, stride in zip(feats, STRIDES):
        h, w = shape_dims(g, d, feat, 2, 3)
        # torch.arange(end=n, dtype=float32) + 0.5, flattened as meshgrid does.
        sx, sy = (g.op1("Reshape", d, [g.op1("Add", d, [g.op1("Range", d, [c(np.array(0, np.float32)),
                                                                            g.op1("Cast", d, [n], to=TensorProto.FLOAT),
                                                                            c(np.array(1, np.float32))]),
                                                          c(np.array(0.5, np.float32))]),
                                        c(np.array([-1], np.int64))])
                  for n in (w, h))
        # meshgrid(sy, sx, indexing="ij"): each reshaped to a column or a row, expanded to [h, w].
        ny, nx = g.op1("Shape", d, [sy]), g.op1("Shape", d, [sx])
        grid = g.op1("Concat", d, [ny, nx], axis=0)
        one = c(np.array([1], np.int64))
        gy = g.op1("Expand", d, [g.op1("Reshape", d, [sy, g.op1("Concat", d, [ny, one], axis=0)]), grid])
        gx = g.op1("Expand", d, [g.op1("Reshape", d, [sx, g.op1("Concat", d, [one, nx], axis=0)]), grid])
        # torch.stack((sx, sy), -1).view(-1, 2)
        axis = c(np.array([2], np.int64))
        xy = g.op1("Concat", d, [g.op1("Unsqueeze", d, [gx, axis]), g.op1("Unsqueeze", d, [gy, axis])], axis=2)
        points.append(g.op1("Reshape", d, [xy, c(np.array([-1, 2], np.int64))]))
        # torch.full((h * w, 1), stride)
        hw = g.op1("Unsqueeze", d, [g.op1("Mul", d, [h, w]), c(np.array([0], np.int64))])
        full_shape = g.op1("Concat", d, [hw, c(np.array([1], np.int64))], axis=0)
        strides.append(g.op1("ConstantOfShape", d, [full_shape],
                             value=numpy_helper.from_array(np.array([stride], np.float32))))
    anchors = g.op1("Transpose", d, [g.op1("Concat", d, points, axis=0)], perm=[1, 0])
    anchors = g.op1("Unsqueeze", d, [anchors, c(np.array([0], np.int64))])
    return anchors, g.op1("Transpose", d, [g.op1("Concat", d, strides, axis=0)], perm=[1, 0])


def build_detect(g: GraphBuilder, levels: list[tuple[str, int]], batch: int, traced: bool = False) -> str:
    """Detect head (box + cls branches, DFL, dist2bbox) returning output0 [B, 4+nc, N].

    traced=True builds it as a `dynamic=True` export does: Reshape targets from the tensors' shapes
    (Shape -> Gather -> Unsqueeze -> Concat) and anchors/strides computed from the feature-map shapes.
    One simplification: each view takes the batch from its own input's shape, where Ultralytics takes it
    from the first level's (and the DFL input's for the last view)."""
    d, no = "/model.22", 4 * REG_MAX + NC
    flat, feats = [], []
    for i, (x, c) in enumerate(levels):
        box = g.conv_silu(x, c, HEAD_WIDTH, 3, 1, f"22.cv2.{i}.0")
        box = g.conv_silu(box, HEAD_WIDTH, HEAD_WIDTH, 3, 1, f"22.cv2.{i}.1")
        box = g.conv(box, HEAD_WIDTH, 4 * REG_MAX, 1, 1, f"22.cv2.{i}.2")
        cls = g.conv_silu(x, c, HEAD_WIDTH, 3, 1, f"22.cv3.{i}.0")
        cls = g.conv_silu(cls, HEAD_WIDTH, HEAD_WIDTH, 3, 1, f"22.cv3.{i}.1")
        cls = g.conv(cls, HEAD_WIDTH, NC, 1, 1, f"22.cv3.{i}.2")
        cat = g.op1("Concat", d, [box, cls], axis=1)
        feats.append(cat)
        if traced:
            flat.append(view(g, d, cat, [*shape_dims(g, d, cat, 0), no, -1]))
            continue
        shape = g.const(f"{d}/Constant_output_0", np.array([batch, no, -1], np.int64))
        flat.append(g.op1("Reshape", d, [cat, shape]))
    x = g.op1("Concat", d, flat, axis=2)
    split = g.const(f"{d}/Constant_output_0", np.array([4 * REG_MAX, NC], np.int64))
    box, cls = g.op("Split", d, [x, split], n_out=2, axis=1)

    dfl = f"{d}/dfl"
    if traced:
        # b, _, a = x.shape; x.view(b, 4, c1, a)
        b, a = shape_dims(g, dfl, box, 0, 2)
        box = view(g, dfl, box, [b, 4, REG_MAX, a])
    else:
        box = g.op1("Reshape", dfl, [box, g.const(f"{dfl}/Constant_output_0", np.array([batch, 4, REG_MAX, -1], np.int64))])
    box = g.op1("Transpose", dfl, [box], perm=[0, 2, 1, 3])
    box = g.op1("Softmax", dfl, [box], axis=1)
    proj = np.arange(REG_MAX, dtype=np.float32).reshape(1, REG_MAX, 1, 1)
    box = g.op1("Conv", f"{dfl}/conv", [box, g.const("model.22.dfl.conv.weight", proj)], dilations=[1, 1],
                group=1, kernel_shape=[1, 1], pads=[0, 0, 0, 0], strides=[1, 1])
    if traced:
        # .view(b, 4, a), the batch read from the conv output itself (see the docstring)
        dist = view(g, dfl, box, [*shape_dims(g, dfl, box, 0), 4, a])
    else:
        dist = g.op1("Reshape", dfl, [box, g.const(f"{dfl}/Constant_output_0", np.array([batch, 4, -1], np.int64))])

    lt, rb = g.op("Split", d, [dist, g.const(f"{d}/Constant_output_0", np.array([2, 2], np.int64))], n_out=2, axis=1)
    if traced:
        anchor, stride = traced_anchors(g, feats)
    else:
        anchors, strides = make_anchors(IMGSZ)
        anchor, stride = g.const(f"{d}/Constant_output_0", anchors), None
    x1y1 = g.op1("Sub", d, [anchor, lt])
    x2y2 = g.op1("Add", d, [anchor, rb])
    c_xy = g.op1("Div", d, [g.op1("Add", d, [x1y1, x2y2]), g.const(f"{d}/Constant_output_0", np.array(2, np.float32))])
    wh = g.op1("Sub", d, [x2y2, x1y1])
    stride = stride or g.const(f"{d}/Constant_output_0", strides)
    dbox = g.op1("Mul", d, [g.op1("Concat", d, [c_xy, wh], axis=1), stride])
    g.nodes.append(helper.make_node("Concat", [dbox, g.op1("Sigmoid", d, [cls])], ["output0"],
                                    name=g.unique(f"{d}/Concat"), axis=1))
    return "output0"


def metadata(dynamic: bool) -> dict[str, str]:
    """The metadata_props an Ultralytics ONNX export writes (values are str() of Python objects)."""
    names = {i: n for i, n in enumerate(NAMES)}
    args = {"batch": 1, "half": False, "dynamic": dynamic, "simplify": True, "opset": OPSET, "nms": False}
    return {
        "description": "Ultralytics YOLOv8-tiny-fixture model (random weights) for ovconvert tests",
        "author": "Ultralytics",
        "date": "2025-01-01T00:00:00",
        "version": "8.3.59",
        "license": "AGPL-3.0 License (https://ultralytics.com/license)",
        "docs": "https://docs.ultralytics.com",
        "stride": str(max(STRIDES)),
        "task": "detect",
        "batch": "1",
        "imgsz": str([IMGSZ, IMGSZ]),
        "names": str(names),
        "args": str(args),
        "channels": "3",
    }


MASK_COEFFICIENTS = 32  # extra channels per box of the segment head


def rename_output(g: GraphBuilder, old: str, new: str) -> None:
    """Makes the node that writes `old` write `new`."""
    node = next(n for n in g.nodes if old in n.output)
    node.output[list(node.output).index(old)] = new


def yolov5_head(g: GraphBuilder, v8: str) -> str:
    """[B, 4+nc, N] -> the YOLOv5 layout [B, N, 5+nc]: x, y, w, h, objectness, class scores. Objectness is each
    box's best class score, so objectness x class score (what NMS ranks by) stays in [0, 1] and varies by box."""
    d = "/model.23"
    boxes_last = g.op1("Transpose", d, [v8], perm=[0, 2, 1])
    xywh, cls = f"{d}/xywh", f"{d}/cls"
    g.nodes.append(helper.make_node("Split", [boxes_last, g.const(f"{d}/split", np.array([4, NC], np.int64))], [xywh, cls],
                                    name=g.unique(f"{d}/Split"), axis=2))
    obj = g.op1("ReduceMax", d, [cls], axes=[2], keepdims=1)
    g.nodes.append(helper.make_node("Concat", [xywh, obj, cls], ["output0"], name=g.unique(f"{d}/Concat_out"), axis=2))
    return "output0"


def segment_head(g: GraphBuilder, v8: str) -> str:
    """[B, 4+nc, N] -> [B, 4+nc+32, N]: 32 mask coefficients per box (tanh of the first 32 class logits' scores,
    so they differ from box to box), as a segment model's output0 carries them after the class scores."""
    d = "/model.22/proto"
    starts, ends, axes = (g.const(f"{d}/{k}", np.array([v], np.int64)) for k, v in
                          (("starts", 4), ("ends", 4 + MASK_COEFFICIENTS), ("axes", 1)))
    coefficients = g.op1("Tanh", d, [g.op1("Slice", d, [v8, starts, ends, axes])])
    g.nodes.append(helper.make_node("Concat", [v8, coefficients], ["output0"], name=g.unique(f"{d}/Concat_out"), axis=1))
    return "output0"


def build_model(dynamic: bool, head: str = "detect") -> onnx.ModelProto:
    """Builds the fixture; dynamic=True declares input dims [batch, 3, height, width] symbolic and traces the
    Detect head's shapes and anchors from the input, so any batch and any multiple of 32 as H and W work.
    head: "detect" (YOLOv8), "yolov5" or "segment" (see the module's doc)."""
    g = GraphBuilder(seed=0)
    output = build_detect(g, build_backbone_neck(g, "images"), batch=1, traced=dynamic)
    channels = 4 + NC
    if head != "detect":
        rename_output(g, output, "v8_output")
        output = (yolov5_head if head == "yolov5" else segment_head)(g, "v8_output")
        channels += MASK_COEFFICIENTS if head == "segment" else 1
    n = sum((IMGSZ // s) ** 2 for s in STRIDES)
    in_shape = ["batch", 3, "height", "width"] if dynamic else [1, 3, IMGSZ, IMGSZ]
    out_shape = ["batch", channels, "anchors"] if dynamic else [1, channels, n]
    if head == "yolov5":
        out_shape = ["batch", "anchors", channels] if dynamic else [1, n, channels]
    graph = helper.make_graph(
        g.nodes, "main_graph",
        [helper.make_tensor_value_info("images", TensorProto.FLOAT, in_shape)],
        [helper.make_tensor_value_info(output, TensorProto.FLOAT, out_shape)],
        g.initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], ir_version=IR_VERSION,
                              producer_name="pytorch", producer_version="2.5.1")
    props = metadata(dynamic)
    if head == "yolov5":  # the YOLOv5 repository's exports record only these
        props = {"stride": props["stride"], "names": props["names"]}
    elif head == "segment":
        props["task"] = "segment"
        props["description"] = props["description"].replace("YOLOv8", "YOLOv8-seg")
    helper.set_model_props(model, props)
    onnx.checker.check_model(model, full_check=True)
    return model


def report(path: Path) -> None:
    """Prints "wrote PATH (SIZE bytes)", PATH relative to the repo when inside it."""
    shown = path.resolve().relative_to(ROOT) if path.resolve().is_relative_to(ROOT) else path
    print(f"wrote {shown} ({path.stat().st_size} bytes)")


def write(model: onnx.ModelProto, path: Path) -> None:
    """Serializes deterministically and reports the size."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(model.SerializeToString(deterministic=True))
    report(path)


def main() -> None:
    """Writes testdata/yolo_tiny.onnx, yolo_tiny_dynamic.onnx, yolo_tiny_v5.onnx and yolo_tiny_seg.onnx."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=ROOT / "testdata", help="output folder (default: testdata/)")
    args = ap.parse_args()
    write(build_model(dynamic=False), args.out / "yolo_tiny.onnx")
    write(build_model(dynamic=True), args.out / "yolo_tiny_dynamic.onnx")
    write(build_model(dynamic=True, head="yolov5"), args.out / "yolo_tiny_v5.onnx")
    write(build_model(dynamic=True, head="segment"), args.out / "yolo_tiny_seg.onnx")


if __name__ == "__main__":
    main()
