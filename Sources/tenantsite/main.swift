import SiteBuild
@main struct Main { static func main() {} }
