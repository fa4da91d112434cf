// libFuzzer entry for the whole pipeline: any bytes that pass the decoder (what `check` accepts) must render every
// page of the tenant in both languages, and the site-wide pages, without a trap. Compiled into the SiteBuild
// sources by run.sh, with the shipped templates and demo help center, run from the repository's root.
import Foundation
import SiteRender
import TenantModel

private struct Setup {
    let languages: [LanguageContext]
    let renderer: PageRenderer
    let help: HelpCenter
}

private let setup: Setup = {
    let required = Set(SiteBuilder.tenantPageKinds.flatMap(\.templateNames) + SiteBuilder.sitePageKinds.flatMap(\.templateNames)).sorted()
    let templates = try! TemplateSet.load(folder: "templates", requiredPages: required).get()
    let help = try! HelpCenter.load(folder: "content/help").get()
    let languages = Language.allCases.map { LanguageContext(language: $0, strings: templates.strings[$0]!) }
    return Setup(languages: languages, renderer: PageRenderer(templates: templates), help: help)
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func pipelineFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard case .success(let snapshot) = SnapshotDecoder.decode(bytes, file: "fuzz.json", slug: "fuzz") else { return 0 }
    let settings = BuildSettings()
    var pages = 0
    do {
        let plan = TenantPlan(snapshot, settings: settings)
        try SiteBuilder.renderTenant(plan, languages: setup.languages, settings: settings, helpLinks: setup.help.links,
                                     renderer: setup.renderer, timer: PhaseTimer()) { _, bytes in
            precondition(!bytes.isEmpty, "an empty page")
            pages += 1
        }
        let site = SiteContext(summaries: [TenantSummary(plan)], languages: setup.languages,
                               settings: settings, help: setup.help)
        for kind in SiteBuilder.sitePageKinds { try kind.render(site, with: setup.renderer) { _, _ in pages += 1 } }
    } catch {
        preconditionFailure("an accepted snapshot did not build: \(error)")
    }
    precondition(pages > 0, "an accepted snapshot made no pages")
    return 0
}
