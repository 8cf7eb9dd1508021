using DP.Runtime.Backbones;
using DP.Runtime.Backbones.Bert;
using DP.Runtime.Experiments;
using DP.Runtime.Prompts.Assembly;
using DP.Runtime.Prompts.Choices;
using DP.Runtime.Prompts.Deep;
using DP.Runtime.Prompts.Heads;
using DP.Runtime.Prompts.Instance;
using DP.Runtime.Prompts.Sources;
using DP.Runtime.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace DP.Runtime.Prompts.Composition;

/// <summary>Builds the <see cref="PromptModel"/> a method's options describe, seeded and independent of the global RNG.</summary>
public static class PromptModelFactory
{
    /// <param name="initTextIds">Token ids of method.init_text (required when method.init is text).</param>
    /// <param name="otherTasks">Multitask: the heads of tasks 1, 2, … (task 0 is <paramref name="task"/>); each task gets its own head.</param>
    /// <param name="vocabIds">The ids method.init 'vocab' draws from (the tokenizer's <see cref="ITextTokenizer.OrdinaryTokenIds"/>); null = every embedding row.</param>
    public static PromptModel Create(MethodOptions method, HeadOptions head, IPromptableBackbone backbone, TaskHeadInfo task,
        SpecialTokens special, long seed, IReadOnlyList<int>? initTextIds = null, IReadOnlyList<TaskHeadInfo>? otherTasks = null,
        IReadOnlyList<int>? vocabIds = null)
    {
        Validate(method, task);
        foreach (var other in otherTasks ?? []) Validate(method, other);
        var device = backbone.WordEmbeddingWeight.device;
        using var gen = new Generator(unchecked((ulong)seed));

        backbone.Dropout.Reseed(seed);
        if (method.Kind == MethodKind.FineTune)
        {
            foreach (var p in backbone.Module.parameters()) p.requires_grad = true;
        }
        else
        {
            backbone.Freeze();
        }

        var scoreHead = CreateHead(head, method.Kind, backbone, task, special, gen, device);
        var parts = new PromptModelParts(method.Kind, backbone, scoreHead, task.MultipleChoice, Seed: seed);
        var prompt = new PromptDraw(backbone, gen, initTextIds, vocabIds);
        parts = method switch
        {
            FineTuningOptions => parts,
            PrefixTuningOptions prefix => parts with
            {
                Deep = new DeepPromptEncoder(prefix.PromptLength, backbone.Shape, prefix.Reparameterize, prefix.ReparameterizeHidden, gen, device),
            },
            DynamicPromptingOptions dynamic => Dynamic(parts, dynamic, prompt, special, device),
            PromptTuningOptions tuning => parts with
            {
                Source = new SharedPrompt(prompt.Rows(tuning, index: 0)),
                Assembler = new PromptAssembler(tuning.PromptLength, special.Cls is not null),
                Position = PositionPolicy.Prefix,
                Init = tuning.Init,
                InitText = tuning.InitText,
            },
            _ => throw new ArgumentOutOfRangeException(nameof(method), method.Kind, "Unknown method.kind."),
        };
        // Drawn last, so that a single-task model's initial weights do not depend on whether others exist.
        if (otherTasks is { Count: > 0 })
            parts = parts with { OtherTasks = otherTasks.Select(o => new TaskHead(CreateHead(head, method.Kind, backbone, o, special, gen, device), o.MultipleChoice)).ToList() };
        if (method.Kind == MethodKind.FineTune && backbone is BertModel bert) FreezeUnreadParts(bert, [parts.Head, .. (parts.OtherTasks ?? []).Select(t => t.Head)]);
        return new PromptModel(parts);
    }

    // Dynamic prompting: a shared prompt or a pool, and learned position and length choices; the instance
    // representation is computed only when some part reads it.
    private static PromptModelParts Dynamic(PromptModelParts parts, DynamicPromptingOptions method, PromptDraw prompt, SpecialTokens special, Device device)
    {
        int n = method.PromptLength, hidden = parts.Backbone.Shape.HiddenSize;
        var gen = prompt.Generator;
        IPromptSource source = method.Pool.Size > 0
            ? new PromptPool(torch.stack(Enumerable.Range(0, method.Pool.Size).Select(k => prompt.Rows(method, k)).ToArray()), method.Pool.Tanh, gen)
            : new SharedPrompt(prompt.Rows(method, index: 0));
        var position = Choice("position", method.Position, hidden, n, gen, device);
        var length = method.Length switch
        {
            LengthPolicy.Fixed => null,
            LengthPolicy.Task => (ChoiceLogits)new TaskChoiceLogits("length", n + 1, gen, device),
            _ => new InstanceChoiceLogits("length", hidden, n + 1, gen, device),
        };
        parts = parts with
        {
            Source = source,
            Assembler = new PromptAssembler(n, special.Cls is not null),
            Position = method.Position,
            PositionLogits = position,
            Length = method.Length,
            LengthLogits = length,
            Gumbel = method.Gumbel,
            Init = method.Init,
            InitText = method.InitText,
        };
        bool needsInstance = source.NeedsInstance || (position?.NeedsInstance ?? false) || (length?.NeedsInstance ?? false);
        return needsInstance ? parts with { Instances = new InstanceRepresentationCache(parts.Backbone, method.InstanceFeatures) } : parts;
    }

    /// <summary>Initial prompt rows, drawn in order from the factory's one generator.</summary>
    private sealed record PromptDraw(IPromptableBackbone Backbone, Generator Generator, IReadOnlyList<int>? InitTextIds, IReadOnlyList<int>? VocabIds)
    {
        public Tensor Rows(PromptTuningOptions method, int index)
            => PromptInitializer.Create(method.Init, method.PromptLength, Backbone, Generator, InitTextIds, VocabIds, index: index);
    }

    /// <summary>Fine-tuning trains only the checkpoint's parts a head reads: an unread pooler or masked-LM head stays as loaded.</summary>
    private static void FreezeUnreadParts(BertModel bert, IReadOnlyList<IScoreHead> heads)
    {
        if (bert.pooler is { } pooler && !heads.Any(h => h is LinearHead { Pooling: Pooling.Pooler }))
            foreach (var p in pooler.parameters()) p.requires_grad = false;
        if (bert.cls is { } cls && !heads.Any(h => h is MaskedLmVerbalizerHead))
            foreach (var p in cls.parameters()) p.requires_grad = false;
    }

    private static ChoiceLogits? Choice(string name, PositionPolicy policy, int hidden, int n, Generator gen, Device device) => policy switch
    {
        PositionPolicy.Prefix or PositionPolicy.Postfix => null,
        PositionPolicy.Task => new TaskChoiceLogits(name, n + 1, gen, device),
        PositionPolicy.Instance => new InstanceChoiceLogits(name, hidden, n + 1, gen, device),
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "Unknown method.position."),
    };

    private static IScoreHead CreateHead(HeadOptions head, MethodKind method, IPromptableBackbone backbone, TaskHeadInfo task, SpecialTokens special, Generator gen, Device device)
    {
        var kind = head.Kind == HeadKind.Auto
            ? (backbone.Kind == BackboneKind.EncoderDecoder ? HeadKind.Verbalizer : HeadKind.Linear)
            : head.Kind;
        if (kind == HeadKind.Verbalizer)
        {
            if (task.LabelWordIds is not { Count: > 0 } words)
                throw new ArgumentException(task.LabelWordProblem ?? "head.kind 'verbalizer' needs label words (task.labels) with token ids.");
            if (!task.MultipleChoice && words.Count != task.NumClasses)
                throw new ArgumentException($"The verbalizer has {words.Count} label words but the task has {task.NumClasses} classes.");
            if (backbone.Kind == BackboneKind.EncoderDecoder)
                return new VerbalizerHead(words, DecoderPrefixIds(head.DecoderPrefix, special), task.MultipleChoice);
            return MaskedLmVerbalizer(backbone, task, words, special);
        }
        int outputs = task.MultipleChoice ? 1 : task.NumClasses;
        return new LinearHead(backbone.Shape.HiddenSize, outputs, ResolvePooling(head.Pooling, method, backbone), gen, device, backbone as BertModel);
    }

    private static MaskedLmVerbalizerHead MaskedLmVerbalizer(IPromptableBackbone backbone, TaskHeadInfo task, IReadOnlyList<int> words, SpecialTokens special)
    {
        if (backbone is not BertModel bert)
            throw new ArgumentException($"head.kind 'verbalizer' on an encoder needs a BERT-family masked language model, not a {backbone.GetType().Name}.");
        if (bert.cls is null)
            throw new ArgumentException(
                $"head.kind 'verbalizer' on a BERT-family encoder reads the label words through the checkpoint's masked-LM head, but " +
                $"{bert.MissingPart("masked-LM head: the weights cls.predictions.transform.dense.*, cls.predictions.transform.LayerNorm.* and cls.predictions.bias are missing")}; " +
                "use a checkpoint saved from BertForMaskedLM (or BertForPreTraining), or head.kind: linear.");
        if (special.Mask is not int mask)
            throw new ArgumentException("head.kind 'verbalizer' on a masked LM reads the label word at the mask token, and this tokenizer has no [MASK].");
        if (task.TemplateMasks is int count && count != 1)
            throw new ArgumentException(
                $"head.kind 'verbalizer' on a masked LM reads the label word at the template's {{mask}}, and {task.TemplateSource ?? "the template"} has {count}; " +
                "put exactly one {mask} where the label word goes, e.g. task.template: \"{premise} question: {hypothesis}? answer: {mask}\".");
        return new MaskedLmVerbalizerHead(bert, words, mask, task.MultipleChoice);
    }

    /// <summary>
    /// head.pooling 'auto': BERT's pooled output for P-tuning v2 where the checkpoint has a pooler (THUDM/P-tuning-v2's
    /// BertPrefixForSequenceClassification classifies over it), else the masked mean. 'pooler' without a pooler is an error.
    /// </summary>
    internal static Pooling ResolvePooling(Pooling pooling, MethodKind method, IPromptableBackbone backbone)
    {
        bool hasPooler = backbone is BertModel { pooler: not null };
        if (pooling == Pooling.Auto) return method == MethodKind.Prefix && hasPooler ? Pooling.Pooler : Pooling.Mean;
        if (pooling == Pooling.Pooler && !hasPooler)
            throw new ArgumentException(backbone is BertModel bert
                ? $"head.pooling 'pooler' classifies over BERT's pooled [CLS] output, but {bert.MissingPart("pooler (the weights pooler.dense.weight and pooler.dense.bias are missing)")}; use head.pooling: mean or first."
                : "head.pooling 'pooler' needs a BERT-family encoder with a pooler; this backbone has none (use mean or first).");
        return pooling;
    }

    /// <summary>
    /// The decoder's input before the label word: the start token (T5's decoder_start_token_id is its pad id), then for
    /// <see cref="DecoderPrefix.Sentinel"/> the first sentinel, as OpenPrompt's T5LMTokenizerWrapper feeds the decoder.
    /// </summary>
    internal static IReadOnlyList<int> DecoderPrefixIds(DecoderPrefix prefix, SpecialTokens special) => prefix switch
    {
        DecoderPrefix.Start => [special.Pad],
        DecoderPrefix.Sentinel => [special.Pad, special.Mask ?? throw new ArgumentException(
            "head.decoder_prefix 'sentinel' needs the tokenizer's <extra_id_0>, and this tokenizer has no sentinel tokens; set head.decoder_prefix=start.")],
        _ => throw new ArgumentOutOfRangeException(nameof(prefix), prefix, "Unknown head.decoder_prefix."),
    };

    private static void Validate(MethodOptions method, TaskHeadInfo task)
    {
        if (method is SoftPromptOptions { PromptLength: < 1 } soft)
            throw new ArgumentException($"method.prompt_length must be ≥ 1, got {soft.PromptLength}.");
        if (method is DynamicPromptingOptions { Pool.Size: < 0 } dynamic)
            throw new ArgumentException($"method.pool.size must be ≥ 0, got {dynamic.Pool.Size}.");
        if (!task.MultipleChoice && task.NumClasses < 2)
            throw new ArgumentException($"A classification task needs at least 2 classes, got {task.NumClasses}.");
    }
}
