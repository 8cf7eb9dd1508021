using static TorchSharp.torch;

namespace DP.Runtime.Prompts.Assembly;

/// <summary>
/// Where the prompt splits around the input: one split for the whole batch (prefix 0, postfix n), an integer split
/// per instance [B], or a straight-through one-hot choice [B, n+1] whose gradient must reach the split logits.
/// </summary>
public abstract record PromptSplit
{
    private PromptSplit() { }

    public sealed record Fixed(int Split) : PromptSplit;
    public sealed record PerInstance(Tensor Splits) : PromptSplit;
    public sealed record OneHot(Tensor Choice) : PromptSplit;

    public static PromptSplit Prefix { get; } = new Fixed(0);
}
