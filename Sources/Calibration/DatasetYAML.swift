import Foundation
import Yams

/// An Ultralytics dataset YAML (`coco8.yaml`): `path`, the dataset's root, and its splits (`train`, `val`, `test`,
/// `minival`), each a folder of images, a `.txt` list of image paths, or a list of those. Unlike Ultralytics, which
/// looks for a relative `path` under its own datasets folder, a relative `path` here is relative to the YAML's
/// folder (and no `path` means that folder); split entries are relative to the root, and relative lines of a
/// `.txt` list relative to the list's folder. Nothing is downloaded.
public struct DatasetYAML: Sendable, Equatable {
    /// The keys read as splits.
    public static let splitKeys = ["train", "val", "test", "minival"]

    /// The YAML file, as given.
    public let file: String
    /// The dataset's root folder.
    public let root: String
    /// Each split's entries, joined to the root, in the YAML's order.
    public let splits: [String: [String]]

    /// Reads and parses the YAML at `path`.
    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CalibrationError(.unreadable, "\(path): cannot be read")
        }
        try self.init(text: String(decoding: data, as: UTF8.self), file: path)
    }

    /// Parses `text`, the contents of `file` (named in errors; its folder anchors relative paths). Touches no file.
    public init(text: String, file: String) throws {
        func fail(_ why: String) -> CalibrationError { CalibrationError(.unreadable, "\(file): \(why)") }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw fail("not valid YAML: \(String("\(error)".prefix(300)))")
        }
        guard let node, case .mapping = node else {
            throw fail("is not a YAML mapping (an Ultralytics dataset YAML has path, train and val)")
        }
        let folder = (file as NSString).deletingLastPathComponent
        let yamlFolder = folder.isEmpty ? "." : folder
        var root = yamlFolder
        if let value = node["path"], !Self.isNull(value) {
            guard case .scalar(let scalar) = value else { throw fail("path is not a folder name") }
            root = Self.join(yamlFolder, scalar.string)
        }
        var splits: [String: [String]] = [:]
        for key in Self.splitKeys {
            guard let value = node[key], !Self.isNull(value) else { continue }
            let items: [Node]
            if case .sequence(let sequence) = value { items = Array(sequence) } else { items = [value] }
            splits[key] = try items.map { item in
                guard case .scalar(let scalar) = item, !scalar.string.isEmpty else {
                    throw fail("\(key) holds something other than folder or list names")
                }
                return Self.join(root, scalar.string)
            }
        }
        self.file = file
        self.root = root
        self.splits = splits
    }

    /// The split to read: `split` if given, else `val`, else `train`.
    public func chooseSplit(_ split: String?) throws -> String {
        if let split {
            guard splits[split] != nil else {
                throw CalibrationError(.badOptions, "\(file): has no split '\(split)'"
                    + (splits.isEmpty ? "" : " (it has \(splits.keys.sorted().joined(separator: ", ")))"))
            }
            return split
        }
        if splits["val"] != nil { return "val" }
        if splits["train"] != nil { return "train" }
        throw CalibrationError(.empty, "\(file): names neither val nor train")
    }

    /// The image files of a split, sorted within each entry, and the image files of formats not read.
    public func images(split: String) throws -> (images: [String], skipped: [String]) {
        var images: [String] = [], skipped: [String] = []
        for entry in splits[split] ?? [] {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: entry, isDirectory: &isFolder) else {
                throw CalibrationError(.notFound, "\(file): \(split) names \(entry), which does not exist")
            }
            if isFolder.boolValue {
                let listing = try DataFolder(listing: entry)
                images += listing.images
                skipped += listing.skipped
            } else if entry.lowercased().hasSuffix(".txt") {
                guard let data = FileManager.default.contents(atPath: entry) else {
                    throw CalibrationError(.unreadable, "\(entry) (the \(split) list of \(file)): cannot be read")
                }
                let listFolder = (entry as NSString).deletingLastPathComponent
                for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
                    var name = line.trimmingCharacters(in: .whitespaces)
                    guard !name.isEmpty else { continue }
                    if name.hasPrefix("./") { name.removeFirst(2) }
                    let path = Self.join(listFolder.isEmpty ? "." : listFolder, name)
                    let ext = (name as NSString).pathExtension.lowercased()
                    if DataFolder.imageExtensions.contains(ext) {
                        images.append(path)
                    } else if DataFolder.otherImageExtensions.contains(ext) {
                        skipped.append(path)
                    } else {
                        throw CalibrationError(.unreadable, "\(entry) (the \(split) list of \(file)): '\(name)' is not an image file name")
                    }
                }
            } else {
                throw CalibrationError(.badOptions, "\(file): \(split) names \(entry), which is neither a folder nor a .txt list")
            }
        }
        return (images, skipped)
    }

    static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node else { return false }
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    static func join(_ folder: String, _ name: String) -> String {
        name.hasPrefix("/") ? name : folder + "/" + name
    }
}
