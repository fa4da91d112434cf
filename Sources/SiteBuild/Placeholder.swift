public enum SiteBuildPlaceholder {}
