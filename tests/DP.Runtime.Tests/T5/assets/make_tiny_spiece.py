"""Trains tests/DP.Runtime.Tests/T5/assets/tiny_spiece.model, a tiny T5-style SentencePiece model.

Run once by hand (CI never needs python):  /usr/bin/python3 make_tiny_spiece.py
Needs Debian's python3-sentencepiece (0.1.97). The corpus below was written for this test; it is not from any
data set. Settings follow T5's spiece.model: unigram, nmt_nfkc normalisation, pad=0, eos=1, unk=2, no BOS.
Also prints reference ids for the sentences the C# tests check (paste into T5TokenizerTests if retrained).
"""
import io
import os
import sentencepiece as spm

CORPUS = """
The quick brown fox jumps over the lazy dog.
A frozen model can still learn a task when a few soft prompt vectors are tuned.
Prompts may sit before the input, after it, or on both sides of it.
Each instance can choose where its prompt goes and how long it should be.
The encoder reads the whole sentence and the decoder writes the answer.
Is the premise enough to conclude that the hypothesis is true? Yes or no.
The cat sat on the mat while the dog slept by the door.
Researchers measured accuracy on the development set after every epoch.
Relative positions are grouped into buckets that grow wider with distance.
She bought three apples, two pears and one melon at the market on Tuesday.
Rain is expected tomorrow morning, but the afternoon should be sunny and warm.
The committee approved the proposal after a long discussion about its cost.
Water boils at one hundred degrees Celsius at sea level.
He wrote the report in French and translated it into English later.
Numbers like 42, 3.14 and 2026 appear in many texts.
Does the passage say that the bridge was built before the war?
The museum opens at nine o'clock and closes at five in the evening.
Learning rates that are too large make training unstable.
The library lent out more books this year than in any year before.
Mountains, rivers and forests cover most of the northern region.
Please answer the question using only words from the passage.
The word "bank" can mean the side of a river or a place that keeps money.
Two sentences entail each other when both must be true together.
Small models train quickly; large models usually generalise better.
The teacher asked every student to read one chapter before Monday.
""".strip().splitlines()


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    prefix = os.path.join(here, "tiny_spiece")
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(CORPUS * 4),
        model_prefix=prefix,
        model_type="unigram",
        vocab_size=200,
        character_coverage=1.0,
        normalization_rule_name="nmt_nfkc",
        pad_id=0, eos_id=1, unk_id=2, bos_id=-1,
        pad_piece="<pad>", eos_piece="</s>", unk_piece="<unk>",
        hard_vocab_limit=False,
        seed_sentencepiece_size=5000,
        num_threads=1,
    )
    os.remove(prefix + ".vocab")
    sp = spm.SentencePieceProcessor(model_file=prefix + ".model")
    print("pieces", sp.get_piece_size())
    for text in SAMPLES:
        print(repr(text), sp.encode(text))


SAMPLES = [
    "The quick brown fox jumps over the lazy dog.",
    "Is the premise enough? Yes or no.",
    "Numbers like 42 and 3.14",
    "  extra   spaces  here ",
    "Ｆｕｌｌｗｉｄｔｈ letters and café",
    "zebra xylophone",
]

if __name__ == "__main__":
    main()
