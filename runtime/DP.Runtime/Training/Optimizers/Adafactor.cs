using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DP.Runtime.Training.Optimizers;

/// <summary>
/// Adafactor (Shazeer &amp; Stern 2018) in the configuration the dynamic-prompting authors trained with: a fixed
/// learning rate (no relative step, no parameter scaling, no warm-up init), factored second moments for tensors
/// of rank ≥ 2, β2 decay exponent −0.8, update clipping at RMS 1.0, ε1 = 1e-30 (added to squared gradients) and
/// ε2 = 1e-3 (only used by parameter scaling, kept for completeness), no first moment.
/// TorchSharp has no Adafactor; this is hand-written as a TorchSharp optimizer so that its state saves and loads
/// through the same <c>save_state_dict</c>/<c>load_state_dict</c> as the built-in ones.
/// </summary>
public sealed class Adafactor : OptimizerHelper
{
    public Adafactor(IEnumerable<ParamGroup> groups, double lr, double decayRate = -0.8, double clipThreshold = 1.0,
        double eps1 = 1e-30, double eps2 = 1e-3, double weightDecay = 0.0)
    {
        if (!(lr > 0)) throw new ArgumentException($"Adafactor: the learning rate must be positive (got {lr}).", nameof(lr));
        if (!(decayRate < 0)) throw new ArgumentException($"Adafactor: decay rate must be negative (got {decayRate}).", nameof(decayRate));
        if (!(clipThreshold > 0)) throw new ArgumentException($"Adafactor: clip threshold must be positive (got {clipThreshold}).", nameof(clipThreshold));
        if (weightDecay < 0) throw new ArgumentException($"Adafactor: weight decay must be ≥ 0 (got {weightDecay}).", nameof(weightDecay));
        _defaults = new Options
        {
            LearningRate = lr, InitialLearningRate = lr, DecayRate = decayRate, ClipThreshold = clipThreshold,
            Eps1 = eps1, Eps2 = eps2, WeightDecay = weightDecay,
        };
        _parameter_groups = new List<TorchSharp.Modules.ParamGroup>();
        foreach (var g in groups) add_param_group(g);
    }

    public Adafactor(IEnumerable<Parameter> parameters, double lr)
        : this([new ParamGroup(parameters, new Options { LearningRate = lr })], lr) { }

    public override Tensor step(Func<Tensor>? closure = null)
    {
        return _step<ParamGroup>(group =>
        {
            var o = group.Options;
            double lr = o.LearningRate!.Value, decay = o.DecayRate!.Value, clip = o.ClipThreshold!.Value;
            double eps1 = o.Eps1!.Value, wd = o.WeightDecay!.Value;
            foreach (var p in group.Parameters)
            {
                var grad = p.grad;
                if (grad is null) continue;
                var state = (State)_state[p.Handle];
                state.Step += 1;
                var g = grad.to_type(ScalarType.Float32);
                // β2 grows towards 1 with the step: 1 − t^(−0.8).
                double beta2t = 1.0 - Math.Pow(state.Step, decay);
                var sq = g.square().add_(eps1);
                Tensor update;
                if (state.Row is not null && state.Col is not null)
                {
                    state.Row.mul_(beta2t).add_(sq.mean([-1L]), alpha: 1.0 - beta2t);
                    state.Col.mul_(beta2t).add_(sq.mean([-2L]), alpha: 1.0 - beta2t);
                    // Rank-1 reconstruction of 1/sqrt(v): rsqrt(row / mean(row)) ⊗ rsqrt(col).
                    var rFactor = state.Row.div(state.Row.mean([-1L], keepdim: true)).rsqrt_().unsqueeze(-1);
                    var cFactor = state.Col.unsqueeze(-2).rsqrt();
                    update = rFactor.mul(cFactor).mul_(g);
                }
                else
                {
                    state.Full!.mul_(beta2t).add_(sq, alpha: 1.0 - beta2t);
                    update = state.Full.rsqrt().mul_(g);
                }
                // Update clipping: divide by max(1, RMS(update) / d), on the device (no host read per parameter).
                var rms = update.square().mean().sqrt();
                update.div_((clip == 1.0 ? rms : rms.div(clip)).clamp_min_(1.0)).mul_(lr);
                if (wd != 0) p.add_(p, alpha: -wd * lr);
                p.sub_(update.to_type(p.dtype));
            }
        }, closure);
    }

    public override void add_param_group(TorchSharp.Modules.ParamGroup paramGroup)
    {
        var def = (Options)_defaults;
        paramGroup.Options ??= new Options();
        var opt = (Options)paramGroup.Options;
        opt.LearningRate ??= def.LearningRate;
        opt.DecayRate ??= def.DecayRate;
        opt.ClipThreshold ??= def.ClipThreshold;
        opt.Eps1 ??= def.Eps1;
        opt.Eps2 ??= def.Eps2;
        opt.WeightDecay ??= def.WeightDecay;
        opt.InitialLearningRate = opt.LearningRate!.Value;
        _parameter_groups.Add(paramGroup);
        foreach (var p in paramGroup.Parameters)
            _state[p.Handle] = State.For(p);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        foreach (var (_, st) in _state) ((State)st).Dispose();
    }

    /// <summary>Per-group hyper-parameters.</summary>
    public sealed class Options : OptimizerOptions
    {
        public double? DecayRate, ClipThreshold, Eps1, Eps2, WeightDecay;

        public override void SaveStateDict(BinaryWriter writer)
        {
            base.SaveStateDict(writer);
            writer.Write(DecayRate!.Value); writer.Write(ClipThreshold!.Value);
            writer.Write(Eps1!.Value); writer.Write(Eps2!.Value); writer.Write(WeightDecay!.Value);
        }

        public override void LoadStateDict(BinaryReader reader)
        {
            base.LoadStateDict(reader);
            DecayRate = reader.ReadDouble(); ClipThreshold = reader.ReadDouble();
            Eps1 = reader.ReadDouble(); Eps2 = reader.ReadDouble(); WeightDecay = reader.ReadDouble();
        }

        public override void LoadStateDict(OptimizerOptions source)
        {
            base.LoadStateDict(source);
            var o = (Options)source;
            (DecayRate, ClipThreshold, Eps1, Eps2, WeightDecay) = (o.DecayRate, o.ClipThreshold, o.Eps1, o.Eps2, o.WeightDecay);
        }
    }

    /// <summary>A parameter group of <see cref="Adafactor"/>.</summary>
    public sealed class ParamGroup : ParamGroup<Options>
    {
        public ParamGroup() { }
        public ParamGroup(IEnumerable<Parameter> parameters, Options? options = null) : base(parameters, options!) { }
    }

    /// <summary>Per-parameter state: the step and either factored (row, col) or full second moments, in float32.</summary>
    public sealed class State : OptimizerState, IDisposable
    {
        public long Step;
        public Tensor? Row, Col, Full;

        private State(Parameter p) : base(p) { }

        internal static State For(Parameter p)
        {
            var s = new State(p);
            long[] shape = p.shape;
            using var _ = no_grad();
            if (shape.Length >= 2)
            {
                s.Row = zeros(shape[..^1], ScalarType.Float32, p.device).DetachFromDisposeScope();
                s.Col = zeros([.. shape[..^2], shape[^1]], ScalarType.Float32, p.device).DetachFromDisposeScope();
            }
            else
            {
                s.Full = zeros(shape, ScalarType.Float32, p.device).DetachFromDisposeScope();
            }
            return s;
        }

        public void Dispose() { Row?.Dispose(); Col?.Dispose(); Full?.Dispose(); }

        // Moments are created with the state in For(); nothing to do when TorchSharp asks.
        public override void Initialize(OptimizerOptions options) { }

        public override void to(Device device)
        {
            Row = Move(Row, device); Col = Move(Col, device); Full = Move(Full, device);
        }

        private static Tensor? Move(Tensor? t, Device device)
        {
            if (t is null || t.device == device) return t;
            var moved = t.to(device).DetachFromDisposeScope();
            t.Dispose();
            return moved;
        }

        public override void SaveStateDict(BinaryWriter writer)
        {
            writer.Write(Step);
            SaveConditionalStateTensor(writer, Row!);
            SaveConditionalStateTensor(writer, Col!);
            SaveConditionalStateTensor(writer, Full!);
        }

        public override void LoadStateDict(BinaryReader reader)
        {
            Step = reader.ReadInt64();
            // Load into the existing tensors so that shape mismatches are reported by TorchSharp.
            LoadInto(reader, Row, "row"); LoadInto(reader, Col, "col"); LoadInto(reader, Full, "full");
        }

        private static void LoadInto(BinaryReader reader, Tensor? target, string what)
        {
            bool has = reader.ReadBoolean();
            if (has != (target is not null))
                throw new InvalidDataException($"Adafactor state mismatch: the saved {what} second moment {(has ? "exists" : "is absent")} but this parameter's shape says otherwise.");
            target?.Load(reader);
        }

        public override void LoadStateDict(OptimizerState source)
        {
            var s = (State)source;
            Step = s.Step;
            using var _ = no_grad();
            Row?.copy_(s.Row!); Col?.copy_(s.Col!); Full?.copy_(s.Full!);
        }

        public override bool ApproximatelyEquals(OptimizerState other) =>
            other is State s && s.Step == Step && Same(Row, s.Row) && Same(Col, s.Col) && Same(Full, s.Full);

        private static bool Same(Tensor? a, Tensor? b) => (a is null && b is null) || (a is not null && b is not null && a.allclose(b));
    }
}
