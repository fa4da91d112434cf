import Testing
@testable import SiteRender
