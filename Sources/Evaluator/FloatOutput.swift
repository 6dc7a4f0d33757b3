import OVIR

/// An f32 tensor of `dims` whose elements `fill` writes into uninitialized storage: the kernel's result
/// becomes the tensor's bytes without a second copy.
func floatTensor(_ dims: [Int], _ fill: (UnsafeMutablePointer<Float>) throws -> Void) rethrows -> Tensor {
    let count = dims.reduce(1, *)
    let bytes = try [UInt8](unsafeUninitializedCapacity: count * 4) { buffer, initialized in
        if count > 0 {
            // Array storage is 16-byte aligned, so it can hold Float elements.
            try buffer.baseAddress!.withMemoryRebound(to: Float.self, capacity: count, fill)
        }
        initialized = count * 4
    }
    return Tensor(.f32, dims: dims, bytes: bytes)
}
