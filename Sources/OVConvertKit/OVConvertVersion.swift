/// The converter's version, recorded in every IR it writes.
public enum OVConvertVersion {
    public static let current = "0.1.0"
}
