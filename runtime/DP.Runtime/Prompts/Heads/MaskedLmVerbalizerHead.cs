using DP.Runtime.Backbones;
using DP.Runtime.Backbones.Bert;
using TorchSharp;
using static TorchSharp.torch;

namespace DP.Runtime.Prompts.Heads;

/// <summary>
/// Masked-LM verbalizer (BERT family; OpenPrompt's ManualVerbalizer on a masked LM): the scores are the logits of the
/// label words that the checkpoint's masked-LM head (cls.predictions.*, as transformers' BertForMaskedLM) gives the
/// last hidden state at each row's mask token. Multiple choice scores each candidate by the logit of the first label
/// word. No parameters of its own: the masked-LM head is the backbone's (frozen with it, trained when fine-tuning).
/// </summary>
public sealed class MaskedLmVerbalizerHead : nn.Module, IScoreHead
{
    private readonly long[] _labelWords;
    private readonly int _maskToken;
    // A delegate, not the backbone itself: a module-typed field would register the backbone inside the head.
    private readonly Func<Tensor, Tensor?, Tensor> _logits;
    private readonly Dictionary<string, Tensor> _perDevice = [];

    public MaskedLmVerbalizerHead(BertModel backbone, IReadOnlyList<int> labelWordIds, int maskTokenId, bool multipleChoice) : base("head")
    {
        if (backbone.cls is null) throw new ArgumentException(backbone.MissingPart("masked-LM head (cls.predictions.*)"), nameof(backbone));
        if (labelWordIds.Count == 0) throw new ArgumentException("A verbalizer head needs label-word ids (task.labels).");
        _labelWords = (multipleChoice ? labelWordIds.Take(1) : labelWordIds).Select(i => (long)i).ToArray();
        _maskToken = maskTokenId;
        _logits = backbone.MaskedLmLogits;
        RegisterComponents();
    }

    public nn.Module Module => this;

    public int? MaskTokenId => _maskToken;

    public Tensor? DecoderInputIds(long batch, Device device) => null;

    public Tensor Scores(BackboneOutput output, HeadInput input)
    {
        var positions = input.MaskPositions
            ?? throw new InvalidOperationException("The masked-LM verbalizer needs each row's mask position (HeadInput.MaskPositions).");
        var states = output.LastHiddenState; // [B, T, d]
        var atMask = states.gather(1, positions.view(-1, 1, 1).expand(-1, 1, states.shape[2])).squeeze(1); // [B, d]
        return _logits(atMask, Words(states.device));
    }

    private Tensor Words(Device device)
    {
        var key = device.ToString();
        if (!_perDevice.TryGetValue(key, out var words))
            _perDevice[key] = words = torch.tensor(_labelWords, device: device).DetachFromDisposeScope();
        return words;
    }

    protected override void Dispose(bool disposing)
    {
        foreach (var w in _perDevice.Values) w.Dispose();
        _perDevice.Clear();
        base.Dispose(disposing);
    }
}
