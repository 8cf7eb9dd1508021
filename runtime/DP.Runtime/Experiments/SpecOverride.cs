namespace DP.Runtime.Experiments;

/// <summary>
/// Applies one <c>--set key=value</c> override to the options. Generated code supplies it (a switch over every
/// dotted spec key such as <c>training.learning_rate</c>); it throws <see cref="ArgumentException"/> with a clear
/// message for an unknown key or a value that does not parse or is out of range.
/// </summary>
public delegate void SpecOverride(ExperimentOptions options, string key, string value);
