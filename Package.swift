// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "ovconvert",
    products: [
        .executable(name: "ovconvert", targets: ["ovconvert"]),
        .library(name: "OVConvertKit", targets: ["OVConvertKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "CLibJPEG",
            pkgConfig: "libjpeg",
            providers: [.apt(["libjpeg62-turbo-dev"])]
        ),
        .systemLibrary(
            name: "CLibPNG",
            pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"])]
        ),
        .target(name: "CSystemShims"),
        .target(name: "CImageShims", dependencies: ["CLibJPEG", "CLibPNG"]),
        .target(name: "OVIR"),
        .target(name: "Evaluator", dependencies: ["OVIR", "COpenBLAS"]),
        .target(
            name: "ONNXFrontend",
            dependencies: ["OVIR", .product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        .target(name: "TorchScriptFrontend", dependencies: ["OVIR"]),
        .target(name: "Passes", dependencies: ["OVIR", "Evaluator"]),
        .target(name: "OpenVINOIR", dependencies: ["OVIR", "CLibXML2", "CSystemShims"]),
        .target(name: "Calibration", dependencies: ["OVIR", "Evaluator", "Passes", "CZlib", "CImageShims",
                                                   .product(name: "Yams", package: "Yams")]),
        .target(name: "OVConvertKit", dependencies: ["OVIR", "Evaluator", "ONNXFrontend", "TorchScriptFrontend", "Passes", "OpenVINOIR",
                                                    "Calibration",
                                                    .product(name: "Yams", package: "Yams")]),
        .executableTarget(
            name: "ovconvert",
            dependencies: ["OVConvertKit", "Passes", "OpenVINOIR", "CSystemShims", "Calibration",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(name: "OVIRTests", dependencies: ["OVIR"]),
        .testTarget(name: "EvaluatorTests", dependencies: ["Evaluator", "OVIR"]),
        .testTarget(name: "ONNXFrontendTests", dependencies: ["ONNXFrontend", "OVIR", "Evaluator"]),
        .testTarget(name: "TorchScriptFrontendTests", dependencies: ["TorchScriptFrontend", "OVIR", "Evaluator"]),
        .testTarget(name: "PassesTests", dependencies: ["Passes", "Evaluator", "OVIR"]),
        .testTarget(name: "OpenVINOIRTests", dependencies: ["OpenVINOIR", "OVIR"]),
        .testTarget(name: "CalibrationTests", dependencies: ["Calibration", "Passes", "Evaluator", "OVIR"]),
        .testTarget(
            name: "OVConvertKitTests",
            dependencies: ["OVConvertKit", "OVIR", "OpenVINOIR", "ONNXFrontend", "Evaluator", "Passes", "Calibration"],
            resources: []
        ),
        .testTarget(name: "ovconvertTests", dependencies: ["ovconvert"]),
    ],
    swiftLanguageModes: [.v5]
)
