/// What `IRWriter.write` produced.
public struct IRWriteSummary {
    /// Size of the written XML file.
    public var xmlBytes: Int
    /// Size of the written BIN file.
    public var binBytes: Int
    /// Number of Const layers.
    public var constants: Int
    /// Const layers whose bytes were already in the BIN and share an earlier offset.
    public var deduplicatedConstants: Int
    /// The layer and port ids used in the XML (the mapping file needs them).
    public var numbering: LayerNumbering
}
