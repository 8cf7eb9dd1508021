namespace DP.Runtime.Weights;

/// <summary>
/// A checkpoint does not fit a model: a parameter has no tensor, a tensor has the wrong shape or type, or the
/// file is unreadable. <see cref="TensorName"/> names the tensor (or parameter) at fault, <see cref="ModelSource"/> the file.
/// </summary>
public class WeightLoadException : Exception
{
    public string ModelSource { get; }
    public string? TensorName { get; }

    public WeightLoadException(string source, string? tensorName, string message, Exception? inner = null)
        : base($"{source}: {message}", inner)
    {
        ModelSource = source;
        TensorName = tensorName;
    }
}
