"""The discriminator learns from real and completed holes, and the network's adversarial term trains only the network."""
import torch

from lrtrain.adversarial import Adversary
from lrtrain.networks import MODELS


def batch(seed: int):
    g = torch.Generator().manual_seed(seed)
    target = torch.rand(2, 3, 64, 64, generator=g)
    mask = torch.zeros(2, 1, 64, 64)
    mask[..., 16:48, 16:48] = 1
    return torch.cat([target * (1 - mask), mask], dim=1), target


def test_the_discriminator_learns_to_tell_a_flat_fill_from_real_content():
    torch.manual_seed(0)
    adversary = Adversary(torch.device("cpu"))
    net_input, target = batch(0)
    flat = torch.full_like(target, 0.5)
    losses = [adversary.update(flat, net_input, target) for _ in range(30)]
    assert losses[-1] < 0.5 * losses[0]
    assert adversary.generator_loss(target, net_input) < adversary.generator_loss(flat, net_input)


def test_the_adversarial_term_moves_the_network_and_leaves_the_discriminator_alone():
    torch.manual_seed(0)
    adversary = Adversary(torch.device("cpu"))
    net_input, _ = batch(1)
    output = torch.full((2, 3, 64, 64), 0.5, requires_grad=True)
    adversary.generator_loss(output, net_input).backward()
    assert output.grad[..., 16:48, 16:48].abs().sum() > 0
    assert output.grad[..., :8, :].abs().sum() == 0  # known pixels are the photo's, whatever the network says
    assert all(p.grad is None for p in adversary.discriminator.parameters())


def test_the_shipped_inpainting_recipe_learns_reconstruction_before_the_discriminator_comes_in():
    spec = MODELS["inpaint-baseline"]
    weights = [spec.adversarial_weight_at(p / 100) for p in range(101)]
    start = int(spec.reconstruction_share * 100)
    assert start > 0
    assert all(w == 0 for w in weights[:start + 1])
    assert all(a <= b for a, b in zip(weights, weights[1:]))  # ramped, never stepped back
    assert weights[start + 1] < 0.2 * spec.adversarial_weight
    assert weights[-1] == spec.adversarial_weight
    assert MODELS["inpaint-lightweight"].adversarial_weight_at(0.9) == spec.adversarial_weight_at(0.9)
