import Foundation
import OVIR

/// Calibration samples read from files, one file a sample: a folder of images (JPEG/PNG) or of arrays
/// (`.npy`/`.npz`), searched recursively, or an Ultralytics dataset YAML. Opening lists and checks; each sample
/// is read, decoded and preprocessed only when asked for (`sample(at:)`).
public struct CalibrationDataset: CalibrationSource {
    public enum Kind: Sendable, Equatable {
        /// Images, each preprocessed into the one input the layout names.
        case images(ImageInputLayout)
        /// `.npy`/`.npz` arrays, fed as they are.
        case arrays
    }

    /// The folder or YAML given.
    public let location: String
    public let kind: Kind
    /// The files used, one per sample, in order.
    public private(set) var files: [String]
    /// Every usable file found, sorted.
    private let listed: [String]
    /// How many usable files the data holds (`files` is a subset of them when there are more than asked for).
    public let available: Int
    /// What the caller should tell the user: files of formats not read.
    public let warnings: [String]

    let preprocessing: Preprocessing
    let decoder: any ImageDecoding
    let arrays: ArraySampleReader

    /// Lists the data at `path` for a model with `inputs`. `decoder` defaults to `ImageDecoder` with the options'
    /// pixel limit.
    public init(path: String, inputs: [CalibrationInput], options: CalibrationOptions = CalibrationOptions(),
                decoder: (any ImageDecoding)? = nil) throws {
        guard options.subset >= 1 else { throw CalibrationError(.badOptions, "the subset must be at least 1 sample, not \(options.subset)") }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw CalibrationError(.notFound, "\(path): no such folder or file")
        }
        var found: [String], skipped: [String], isImages: Bool
        if isFolder.boolValue {
            let listing = try DataFolder(listing: path)
            skipped = listing.skipped
            let skippedNote = skipped.isEmpty ? "" : "; it has \(DataFolder.describeSkipped(skipped))"
            switch (listing.images.isEmpty, listing.arrays.isEmpty) {
            case (false, false):
                throw CalibrationError(.badOptions, "\(path): holds both images (\(listing.images.count)) and arrays "
                    + "(\(listing.arrays.count)): give a folder of one kind")
            case (false, true):
                found = listing.images
                isImages = true
            case (true, false):
                found = listing.arrays
                isImages = false
            case (true, true):
                throw CalibrationError(.empty, "\(path): holds no images (.jpg, .jpeg, .png) or arrays (.npy, .npz)\(skippedNote)")
            }
        } else if ["yaml", "yml"].contains((path as NSString).pathExtension.lowercased()) {
            let yaml = try DatasetYAML(path: path)
            let split = try yaml.chooseSplit(options.split)
            (found, skipped) = try yaml.images(split: split)
            isImages = true
            guard !found.isEmpty else {
                throw CalibrationError(.empty, "\(path): split '\(split)' (\(yaml.splits[split]!.joined(separator: ", "))) holds no "
                    + "images (.jpg, .jpeg, .png)" + (skipped.isEmpty ? "" : "; it has \(DataFolder.describeSkipped(skipped))"))
            }
        } else {
            throw CalibrationError(.badOptions, "\(path): is neither a folder nor a dataset YAML (.yaml)")
        }

        kind = isImages ? .images(try ImageInputLayout(inputs: inputs, size: options.imageSize)) : .arrays
        location = path
        available = found.count
        listed = found
        files = Self.spread(found, count: options.subset)
        warnings = skipped.isEmpty ? [] : ["\(path): skipped \(DataFolder.describeSkipped(skipped))"]
        preprocessing = options.preprocessing
        self.decoder = decoder ?? ImageDecoder(maxPixels: options.maxPixels)
        arrays = ArraySampleReader(inputs: inputs)
    }

    public var count: Int { files.count }

    public func sample(at index: Int) throws -> [String: Tensor] {
        let path = files[index]
        switch kind {
        case .images(let layout):
            let image = try decoder.decode(fileAt: path)
            return [layout.input: preprocessing.tensor(from: image, width: layout.width, height: layout.height)]
        case .arrays:
            return try arrays.read(path: path)
        }
    }

    /// Up to `count` of the files not among `files`, spread evenly over them, as a dataset of their own (for
    /// measuring on samples calibration did not see); nil when every file is used.
    public func heldOut(_ count: Int) -> CalibrationDataset? {
        let used = Set(files)
        let rest = listed.filter { !used.contains($0) }
        guard !rest.isEmpty, count > 0 else { return nil }
        var held = self
        held.files = Self.spread(rest, count: count)
        return held
    }

    /// `count` of `items` spread evenly (the first, then every `items.count / count`-th), all of them when there
    /// are no more than `count`: a sorted folder of video frames is sampled along its length, not at its start.
    static func spread(_ items: [String], count: Int) -> [String] {
        guard items.count > count else { return items }
        return (0..<count).map { items[$0 * items.count / count] }
    }
}
