// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "tenantsite",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tenantsite", targets: ["tenantsite"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
        // SHA-256 of a KSeF invoice file, for its verification link (KOD I).
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // The C library that turns Markdown into HTML (Debian: libcmark-gfm-dev, libcmark-gfm-extensions-dev).
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        // libyaml's event parser (Debian: libyaml-dev), for help articles' front matter: events, so that aliases are
        // refused where they stand instead of being expanded (see SiteBuild/FrontMatter.swift).
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        // QR codes (Debian: libqrencode-dev), for the KSeF verification code (KOD I) on invoice pages.
        .systemLibrary(name: "CQREncode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        // One system call Swift's Glibc module does not expose: an atomic exchange of two folders.
        .target(name: "CFileSwap"),
        // load + validate: JSON with positions, exact decimals, the snapshot model and its checks. No rendering, no files written.
        .target(name: "TenantModel", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // render: Markdown, safe templates, layout, languages, money and date formatting.
        .target(
            name: "SiteRender",
            dependencies: ["CCmarkGFM", "CQREncode", "TenantModel"]
        ),
        // plan + write: which pages exist, their view-models, links, help center, the atomic writer.
        .target(
            name: "SiteBuild",
            dependencies: [
                "TenantModel", "SiteRender", "CFileSwap", "CYAML",
            ]
        ),
        // import: Microsoft Graph and Partner Center responses → a snapshot.
        .target(name: "TenantImport", dependencies: ["TenantModel"]),
        // synth: realistic synthetic snapshots of any size, for benchmarks and scale tests (seeded, repeatable).
        .target(name: "TenantSynth", dependencies: ["TenantModel"]),
        .executableTarget(
            name: "tenantsite",
            dependencies: [
                "SiteBuild", "TenantModel", "TenantImport", "TenantSynth",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "TenantModelTests",
            dependencies: ["TenantModel", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "SiteRenderTests",
            // swift-mustache is the reference the renderer is compared with; the program itself does not use it.
            dependencies: ["SiteRender", "TenantModel", .product(name: "PropertyBased", package: "swift-property-based"),
                           .product(name: "Mustache", package: "swift-mustache")]
        ),
        .testTarget(
            name: "TenantImportTests",
            dependencies: ["TenantImport", "TenantModel", "SiteBuild", "SiteRender"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "SiteBuildTests",
            dependencies: ["SiteBuild", "SiteRender", "TenantModel", "TenantSynth"],
            exclude: ["Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
