public enum NixWashVersion {
    public static let current = "0.1.0"
}
