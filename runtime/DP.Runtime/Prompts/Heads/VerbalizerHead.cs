using DP.Runtime.Backbones;
using DP.Runtime.Devices;
using TorchSharp;
using static TorchSharp.torch;

namespace DP.Runtime.Prompts.Heads;

/// <summary>
/// Text-to-text verbalizer (T5): the decoder reads <see cref="DecoderPrefix"/> (its start token, optionally a
/// sentinel) and the scores are the logits of the label words at the last prefix step. Multiple choice scores each
/// candidate by the logit of the first label word. No parameters.
/// </summary>
public sealed class VerbalizerHead : nn.Module, IScoreHead
{
    private readonly long[] _labelWords;
    private readonly long[] _prefix;
    private readonly Dictionary<string, (Tensor Words, Tensor Prefix)> _perDevice = [];

    public VerbalizerHead(IReadOnlyList<int> labelWordIds, IReadOnlyList<int> decoderPrefix, bool multipleChoice) : base("head")
    {
        if (labelWordIds.Count == 0) throw new ArgumentException("A verbalizer head needs label-word ids (task.labels).");
        if (decoderPrefix.Count == 0) throw new ArgumentException("A verbalizer head needs at least the decoder start token.");
        _labelWords = (multipleChoice ? labelWordIds.Take(1) : labelWordIds).Select(i => (long)i).ToArray();
        _prefix = decoderPrefix.Select(i => (long)i).ToArray();
        RegisterComponents();
    }

    public IReadOnlyList<long> DecoderPrefix => _prefix;
    public nn.Module Module => this;

    public Tensor? DecoderInputIds(long batch, Device device) => Constants(device).Prefix.unsqueeze(0).expand(batch, -1);

    public Tensor Scores(BackboneOutput output, HeadInput input)
    {
        var logits = output.DecoderLogits
            ?? throw new InvalidOperationException("The verbalizer head needs DecoderLogits; the backbone returned none (is it an encoder–decoder?).");
        var last = logits[.., -1]; // [B, vocab]
        return MetaFallback.IndexSelect(last, 1, Constants(last.device).Words);
    }

    private (Tensor Words, Tensor Prefix) Constants(Device device)
    {
        var key = device.ToString();
        if (!_perDevice.TryGetValue(key, out var c))
        {
            c = (torch.tensor(_labelWords, device: device).DetachFromDisposeScope(), torch.tensor(_prefix, device: device).DetachFromDisposeScope());
            _perDevice[key] = c;
        }
        return c;
    }

    protected override void Dispose(bool disposing)
    {
        foreach (var (w, p) in _perDevice.Values) { w.Dispose(); p.Dispose(); }
        _perDevice.Clear();
        base.Dispose(disposing);
    }
}
