
/// A convolution window over at most three spatial axes, lifted to exactly three (depth, height, width) by
/// unit axes in front, so 1-D, 2-D and 3-D convolutions share one loop nest.
///
/// `grid` is the position grid the window slides over (the convolution's output, or a transposed
/// convolution's input); `image` is the tensor it reads or writes. Grid position `q` and kernel tap `k` meet
/// image coordinate `q · stride - pad + k · dilation` on each axis.
struct Window3D {
    var grid: [Int]
    var image: [Int]
    var kernel: [Int]
    var strides: [Int]
    var dilations: [Int]
    var pads: [Int]

    init(grid: [Int], image: [Int], kernel: [Int], strides: [Int], dilations: [Int], pads: [Int]) {
        func lift(_ l: [Int], _ fill: Int) -> [Int] { Array(repeating: fill, count: 3 - l.count) + l }
        (self.grid, self.image, self.kernel) = (lift(grid, 1), lift(image, 1), lift(kernel, 1))
        (self.strides, self.dilations, self.pads) = (lift(strides, 1), lift(dilations, 1), lift(pads, 0))
    }

    var gridCount: Int { grid[0] * grid[1] * grid[2] }
    var imageCount: Int { image[0] * image[1] * image[2] }
    var taps: Int { kernel[0] * kernel[1] * kernel[2] }

    /// True when the window is the identity (1×1 kernel, stride 1, no pads): the columns are the image.
    var isPointwise: Bool { kernel == [1, 1, 1] && strides == [1, 1, 1] && pads == [0, 0, 0] && grid == image }

    /// The grid positions `[lo, hi)` along `axis` whose image coordinate for tap `k` lies inside the image.
    @inline(__always)
    func validRange(axis a: Int, tap k: Int) -> (Int, Int) {
        // q · s - p + k · d ≥ 0  and  < image  ⇔  q ≥ ⌈(p - k·d) / s⌉  and  q < ⌈(image + p - k·d) / s⌉
        let shift = pads[a] - k * dilations[a], s = strides[a]
        func ceilDiv(_ x: Int) -> Int { x >= 0 ? (x + s - 1) / s : -((-x) / s) }
        return (min(max(ceilDiv(shift), 0), grid[a]), min(max(ceilDiv(image[a] + shift), 0), grid[a]))
    }

    /// One kernel tap: its position on each axis and, per axis, the grid positions `[lo, hi)` it reads or
    /// writes inside the image.
    struct Tap {
        let kd, kh, kw: Int
        let d, h, w: (Int, Int)
    }

    /// Calls `body` for every kernel tap, depth outermost and width innermost (the order of the weights and of
    /// the column rows).
    @inline(__always)
    func forEachTap(_ body: (Tap) -> Void) {
        for kd in 0..<kernel[0] {
            let d = validRange(axis: 0, tap: kd)
            for kh in 0..<kernel[1] {
                let h = validRange(axis: 1, tap: kh)
                for kw in 0..<kernel[2] {
                    body(Tap(kd: kd, kh: kh, kw: kw, d: d, h: h, w: validRange(axis: 2, tap: kw)))
                }
            }
        }
    }

    /// Fills `columns` ([channels · taps, gridCount]) from `image` ([channels, imageCount]): row (c, tap) holds
    /// the image value each grid position sees through that tap, zero in the padding.
    func im2col(_ image: UnsafePointer<Float>, channels: Int, into columns: UnsafeMutablePointer<Float>) {
        let (gd, gh, gw) = (grid[0], grid[1], grid[2])
        let (ih, iw) = (self.image[1], self.image[2])
        var row = columns
        for c in 0..<channels {
            let plane = image + c * imageCount
            forEachTap { t in
                let ((d0, d1), (h0, h1), (w0, w1)) = (t.d, t.h, t.w)
                let xOffset = t.kw * dilations[2] - pads[2], sw = strides[2]
                for qd in 0..<gd {
                    let dRow = row + qd * gh * gw
                    guard qd >= d0, qd < d1, h0 < h1, w0 < w1 else {
                        dRow.update(repeating: 0, count: gh * gw)
                        continue
                    }
                    let z = qd * strides[0] - pads[0] + t.kd * dilations[0]
                    dRow.update(repeating: 0, count: h0 * gw)
                    for qh in h0..<h1 {
                        let y = qh * strides[1] - pads[1] + t.kh * dilations[1]
                        let src = plane + (z * ih + y) * iw + xOffset
                        let dst = dRow + qh * gw
                        dst.update(repeating: 0, count: w0)
                        if sw == 1 {
                            (dst + w0).update(from: src + w0, count: w1 - w0)
                        } else {
                            for qw in w0..<w1 { dst[qw] = src[qw * sw] }
                        }
                        (dst + w1).update(repeating: 0, count: gw - w1)
                    }
                    (dRow + h1 * gw).update(repeating: 0, count: (gh - h1) * gw)
                }
                row += gridCount
            }
        }
    }

    /// Adds `columns` ([channels · taps, gridCount]) into `image` ([channels, imageCount]), the transpose of
    /// `im2col`: each grid position's value for a tap lands on the image coordinate it meets (dropped in the
    /// padding).
    func col2im(_ columns: UnsafePointer<Float>, channels: Int, into image: UnsafeMutablePointer<Float>) {
        let (gh, gw) = (grid[1], grid[2])
        let (ih, iw) = (self.image[1], self.image[2])
        var row = columns
        for c in 0..<channels {
            let plane = image + c * imageCount
            forEachTap { t in
                let ((d0, d1), (h0, h1), (w0, w1)) = (t.d, t.h, t.w)
                let xOffset = t.kw * dilations[2] - pads[2], sw = strides[2]
                for qd in d0..<max(d0, d1) {
                    let z = qd * strides[0] - pads[0] + t.kd * dilations[0]
                    for qh in h0..<max(h0, h1) {
                        let y = qh * strides[1] - pads[1] + t.kh * dilations[1]
                        let dst = plane + (z * ih + y) * iw + xOffset
                        let src = row + (qd * gh + qh) * gw
                        for qw in w0..<max(w0, w1) { dst[qw * sw] += src[qw] }
                    }
                }
                row += gridCount
            }
        }
    }

    /// Adds one channel's convolution onto `out` ([gridCount]): each tap's view of `image` ([imageCount]) times
    /// `weights[tap]`. Depthwise convolutions take this path instead of columns and a one-row sgemm.
    func accumulate(_ image: UnsafePointer<Float>, weights: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        let (gh, gw) = (grid[1], grid[2])
        let (ih, iw) = (self.image[1], self.image[2])
        var weight = weights
        forEachTap { t in
            let ((d0, d1), (h0, h1), (w0, w1)) = (t.d, t.h, t.w)
            let w = weight.pointee, xOffset = t.kw * dilations[2] - pads[2], sw = strides[2]
            weight += 1
            for qd in d0..<max(d0, d1) {
                let z = qd * strides[0] - pads[0] + t.kd * dilations[0]
                for qh in h0..<max(h0, h1) {
                    let y = qh * strides[1] - pads[1] + t.kh * dilations[1]
                    let src = image + (z * ih + y) * iw + xOffset
                    let dst = out + (qd * gh + qh) * gw
                    if sw == 1 {
                        for qw in w0..<max(w0, w1) { dst[qw] += w * src[qw] }
                    } else {
                        for qw in w0..<max(w0, w1) { dst[qw] += w * src[qw * sw] }
                    }
                }
            }
        }
    }
}
