import Foundation

/// The files of a calibration folder, found recursively (as Ultralytics lists an image folder), hidden files and
/// folders left out, each list sorted by path.
struct DataFolder {
    /// Image files read: JPEG and PNG.
    static let imageExtensions: Set<String> = ["jpg", "jpeg", "png"]
    /// Array files read.
    static let arrayExtensions: Set<String> = ["npy", "npz"]
    /// The other image formats Ultralytics lists, which are not read: counted, so the caller can say so.
    static let otherImageExtensions: Set<String> = ["bmp", "dng", "mpo", "tif", "tiff", "webp", "pfm", "heic", "gif"]

    var images: [String] = []
    var arrays: [String] = []
    /// Image files of a format not read.
    var skipped: [String] = []

    init(listing folder: String) throws {
        var base = folder
        while base.count > 1, base.hasSuffix("/") { base.removeLast() }
        guard let walker = FileManager.default.enumerator(atPath: base) else {
            throw CalibrationError(.unreadable, "\(folder): cannot be listed")
        }
        while let relative = walker.nextObject() as? String {
            let path = base + "/" + relative
            let name = (relative as NSString).lastPathComponent
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { continue }
            if name.hasPrefix(".") {
                if isFolder.boolValue { walker.skipDescendants() }
                continue
            }
            if isFolder.boolValue { continue }
            let ext = (name as NSString).pathExtension.lowercased()
            if Self.imageExtensions.contains(ext) {
                images.append(path)
            } else if Self.arrayExtensions.contains(ext) {
                arrays.append(path)
            } else if Self.otherImageExtensions.contains(ext) {
                skipped.append(path)
            }
        }
        images.sort()
        arrays.sort()
        skipped.sort()
    }

    /// `3 files of formats not read (.bmp, .webp)`, for messages.
    static func describeSkipped(_ files: [String]) -> String {
        let kinds = Set(files.map { "." + URL(fileURLWithPath: $0).pathExtension.lowercased() }).sorted()
        return "\(files.count) file\(files.count == 1 ? "" : "s") of formats not read (\(kinds.joined(separator: ", ")); JPEG and PNG are)"
    }
}
