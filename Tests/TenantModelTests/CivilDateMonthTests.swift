import Testing
import TenantModel
