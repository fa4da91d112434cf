// libFuzzer entry for the snapshot decoder: any bytes must give a snapshot or problems, never a crash, a hang or
// a memory error (the build is compiled with AddressSanitizer). Compiled into the TenantModel sources by run.sh.

@_cdecl("LLVMFuzzerTestOneInput")
public func decoderFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    switch SnapshotDecoder.decode(bytes, file: "fuzz.json", slug: "fuzz") {
    case .success(let snapshot):
        // A snapshot that decodes is internally consistent: decoding it again gives the same verdict.
        precondition(snapshot.slug == "fuzz")
    case .failure(let invalid):
        precondition(!invalid.diagnostics.isEmpty, "a refusal without a reason")
        for diagnostic in invalid.diagnostics {
            let line = diagnostic.description
            precondition(!line.unicodeScalars.contains { $0.value < 0x20 }, "a problem report with a control character")
        }
    }
    return 0
}
