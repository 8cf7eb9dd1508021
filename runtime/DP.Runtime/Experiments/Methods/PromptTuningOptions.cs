namespace DP.Runtime.Experiments;

/// <summary>Prompt tuning (Lester et al.): one soft prompt before the input embeddings.</summary>
public class PromptTuningOptions : SoftPromptOptions
{
    public PromptTuningOptions() : this(MethodKind.Prompt)
    {
    }

    /// <summary>For methods that extend prompt tuning.</summary>
    protected PromptTuningOptions(MethodKind kind) : base(kind)
    {
    }

    public PromptInit Init { get; set; } = PromptInit.Vocab;

    /// <summary>The text whose token embeddings start the prompt (with <see cref="PromptInit.Text"/>).</summary>
    public string? InitText { get; set; }
}
