extension TranslatorTable {
    /// Every translator of the ONNX frontend, one list per op family.
    public static let standard = TranslatorTable(core + elementwise + reduction + matmul + topk
        + conv + pooling + normalization + activation + resize
        + shape + slicing + gatherScatter + controlFlow + attention + rotaryEmbedding + recurrent + losses + detection
        + gridSample + affineGrid + signalWindows + col2Im
        + quantization + qlinearContrib + signal)
}
