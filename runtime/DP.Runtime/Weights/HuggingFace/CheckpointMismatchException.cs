using System.Text;

namespace DP.Runtime.Weights.HuggingFace;

/// <summary>One tensor that did not fit the module: its checkpoint name, the file it was (or should be) in, and why.</summary>
public sealed record TensorProblem(string Name, string File, string Detail);

/// <summary>
/// A checkpoint that does not match the module exactly: tensors the module needs but no file holds, tensors a file
/// holds that the module lacks, and tensors whose shape differs. Every problem is listed, not only the first;
/// <see cref="WeightLoadException.TensorName"/> is the first of them and <see cref="WeightLoadException.ModelSource"/> the folder.
/// </summary>
public sealed class CheckpointMismatchException : WeightLoadException
{
    public IReadOnlyList<TensorProblem> Missing { get; }
    public IReadOnlyList<TensorProblem> Unexpected { get; }
    public IReadOnlyList<TensorProblem> Misshaped { get; }

    public CheckpointMismatchException(string folder, IReadOnlyList<TensorProblem> missing, IReadOnlyList<TensorProblem> unexpected,
        IReadOnlyList<TensorProblem> misshaped)
        : base(folder, missing.Concat(unexpected).Concat(misshaped).First().Name, Describe(missing, unexpected, misshaped))
    {
        Missing = missing;
        Unexpected = unexpected;
        Misshaped = misshaped;
    }

    private static string Describe(IReadOnlyList<TensorProblem> missing, IReadOnlyList<TensorProblem> unexpected,
        IReadOnlyList<TensorProblem> misshaped)
    {
        const int shown = 40;
        var text = new StringBuilder("the checkpoint does not match the model:");
        void Section(string title, IReadOnlyList<TensorProblem> problems)
        {
            if (problems.Count == 0) return;
            text.Append('\n').Append(title).Append(" (").Append(problems.Count).Append("):");
            foreach (var p in problems.Take(shown))
                text.Append("\n  ").Append(p.Name).Append(" — ").Append(p.Detail).Append(" [").Append(p.File).Append(']');
            if (problems.Count > shown) text.Append("\n  … and ").Append(problems.Count - shown).Append(" more");
        }
        Section("missing tensors", missing);
        Section("unexpected tensors", unexpected);
        Section("tensors with the wrong shape", misshaped);
        return text.ToString();
    }
}
