import Foundation

/// The files of a calibration folder, found recursively (as Ultralytics lists an image folder) through symbolic
/// links too, hidden files and folders left out, each list sorted by path.
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
        var visited = Set<String>()
        try walk(base, visited: &visited)
        images.sort()
        arrays.sort()
        skipped.sort()
    }

    /// Lists `folder` and, depth first, its subfolders, following symbolic links (datasets are often linked in)
    /// but entering each real folder once, so a link back up ends.
    private mutating func walk(_ folder: String, visited: inout Set<String>) throws {
        guard visited.insert(URL(fileURLWithPath: folder).resolvingSymlinksInPath().path).inserted else { return }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            throw CalibrationError(.unreadable, "\(folder): cannot be listed")
        }
        for name in names where !name.hasPrefix(".") {
            let path = folder + "/" + name
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { continue }  // a dangling link
            if isFolder.boolValue {
                try walk(path, visited: &visited)
                continue
            }
            let ext = (name as NSString).pathExtension.lowercased()
            if Self.imageExtensions.contains(ext) {
                images.append(path)
            } else if Self.arrayExtensions.contains(ext) {
                arrays.append(path)
            } else if Self.otherImageExtensions.contains(ext) {
                skipped.append(path)
            }
        }
    }

    /// `3 files of formats not read (.bmp, .webp)`, for messages.
    static func describeSkipped(_ files: [String]) -> String {
        let kinds = Set(files.map { "." + URL(fileURLWithPath: $0).pathExtension.lowercased() }).sorted()
        return "\(files.count) file\(files.count == 1 ? "" : "s") of formats not read (\(kinds.joined(separator: ", ")); JPEG and PNG are)"
    }
}
