import Foundation
import Testing
@testable import SiteBuild
@testable import SiteRender

/// The rows the partner home and the calendars make directly are what `TemplateValueEncoder` makes of them.
@Suite struct RowValueTests {
    @Test func partnerHomeRowsAreTheEncodedRows() throws {
        for hostile in SitePathTests.hostile {
            for changes in [nil, SiteURL.internalLink("pl/tenants/a/changes.html")] {
                for flag in [false, true] {
                    let row = PartnerHomePages.Row(
                        name: hostile, domain: hostile + ".pl", url: .internalLink("a.html"), attentionURL: .internalLink("a.html#attention"),
                        channel: "<b>", licences: "12", assigned: hostile, over: flag, spend: "1 234,50 zł", attention: "&", kinds: hostile,
                        needsAttention: !flag, selfService: "0", unpaid: "1", captured: "1.12.2026", changes: hostile, changesURL: changes,
                        snapshots: "\"")
                    #expect(row.templateValue == (try TemplateValueEncoder.encode(row)))
                }
            }
        }
    }

    @Test func calendarRowsAreTheEncodedRows() throws {
        for hostile in SitePathTests.hostile {
            for optional in [false, true] {
                let row = CalendarPages.Row(
                    date: hostile, relative: "za 3 dni", overdue: optional, tenant: optional ? hostile : nil,
                    tenantURL: optional ? .internalLink("t/calendar.html") : nil, what: hostile, about: "<i>",
                    url: optional ? nil : .internalLink("s.html"), amount: optional ? "12,30 zł" : nil)
                #expect(row.templateValue == (try TemplateValueEncoder.encode(row)))
            }
        }
    }
}
