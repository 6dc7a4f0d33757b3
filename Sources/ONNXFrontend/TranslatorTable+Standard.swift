extension TranslatorTable {
    /// Every translator of the ONNX frontend, one list per op family.
    public static let standard = TranslatorTable(core)
}
