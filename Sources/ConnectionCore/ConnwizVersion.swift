/// The version connwiz reports in `--version`, its User-Agent and the HAR creator.
public enum ConnwizVersion {
    public static let current = "0.2.0"
}
