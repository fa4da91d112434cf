import Testing
@testable import SiteBuild
import TenantModel
