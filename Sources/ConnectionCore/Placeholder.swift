public enum ConnectionCorePlaceholder {}
