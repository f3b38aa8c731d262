/// placeholder until the runtime lands.
public enum TopologyRuntimeVersion { public static let value = "0" }
