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
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        // fetch: an HTTP client with connect and read timeouts, TLS and a cap on what it reads (SwiftNIO underneath).
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // fetch: the signed client assertion (PS256 JWT) for certificate sign-in, and reading the certificate.
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.7.1"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.15.0"),
        // Tests: the Microsoft stand-in on 127.0.0.1 is a SwiftNIO HTTP/1.1 server (already under async-http-client).
        .package(url: "https://github.com/apple/swift-nio", from: "2.100.0"),
        // serve: the local server with live reload (on SwiftNIO, already here for fetch).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
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
        // XXH3-128 (Debian: libxxhash-dev): the manifest's fingerprint of every file a build writes, so that the next
        // build can leave equal files alone. About 20 times the speed of SHA-256 here (docs/scaling.md).
        .systemLibrary(name: "CXXHash", pkgConfig: "libxxhash", providers: [.apt(["libxxhash-dev"])]),
        // mimalloc (Debian: libmimalloc-dev), linked into the program in place of glibc's malloc. A build makes and
        // frees millions of small strings and arrays; glibc's malloc and free were a tenth of a full build's CPU, and
        // mimalloc takes 7-9 % off the whole build's time (docs/scaling.md). Only the executable links it.
        .systemLibrary(name: "CMimalloc", providers: [.apt(["libmimalloc-dev"])]),
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
                "TenantModel", "SiteRender", "CFileSwap", "CYAML", "CXXHash",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // import: Microsoft Graph and Partner Center responses → a snapshot.
        .target(name: "TenantImport", dependencies: ["TenantModel"]),
        // fetch: sign in to Microsoft (client secret, certificate or device code), read Graph page by page with retries,
        // and keep every response as it came in a capture folder that `import` reads.
        .target(
            name: "TenantFetch",
            dependencies: [
                "TenantModel", "TenantImport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // synth: realistic synthetic snapshots of any size, for benchmarks and scale tests (seeded, repeatable).
        .target(name: "TenantSynth", dependencies: ["TenantModel"]),
        .executableTarget(
            name: "tenantsite",
            dependencies: [
                "SiteBuild", "TenantModel", "TenantImport", "TenantFetch", "TenantSynth", "CMimalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        // Helpers the test targets share: temporary folders, the built binary, running a program.
        .target(name: "TestHelpers", path: "Tests/TestHelpers"),
        .testTarget(
            name: "TenantModelTests",
            dependencies: ["TenantModel", "TestHelpers", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "SiteRenderTests",
            // swift-mustache is the reference the renderer is compared with; the program itself does not use it.
            dependencies: ["SiteRender", "TenantModel", "TestHelpers", .product(name: "PropertyBased", package: "swift-property-based"),
                           .product(name: "Mustache", package: "swift-mustache")]
        ),
        .testTarget(
            name: "TenantImportTests",
            dependencies: ["TenantImport", "TenantModel", "SiteBuild", "SiteRender", "TestHelpers"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "TenantFetchTests",
            dependencies: [
                "TenantFetch", "TenantImport", "TenantModel", "TestHelpers",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "SiteBuildTests",
            dependencies: ["SiteBuild", "SiteRender", "TenantModel", "TenantSynth", "TestHelpers"],
            exclude: ["Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
