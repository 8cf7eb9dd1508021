namespace DP.Runtime.Training.Checkpoints;

/// <summary>A checkpoint that cannot be used: missing, corrupt, or written for a different model or optimizer.</summary>
public sealed class CheckpointException(string message, Exception? inner = null) : Exception(message, inner);
