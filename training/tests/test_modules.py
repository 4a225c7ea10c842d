"""The building blocks: the paper's parameter budget, the LIST block's shape, the harmonic fill, the completion
network's upsampling, and the inference forms of LIST blocks and of the upscalers' tail."""
import copy

import pytest
import torch

from lrtrain.evaluate import MAX_PARAMETER_FRACTION
from lrtrain.modules import ListBlock, PhasedConvolution, SubPixelBnUp, harmonic_fill, pyramid_levels
from lrtrain.networks import MODELS, count_parameters, inference_form, training_form


@pytest.mark.parametrize("task", ["denoise", "sr4", "inpaint"])
def test_each_lightweight_network_has_at_most_an_eighth_of_its_baselines_parameters(task):
    baseline = count_parameters(MODELS[f"{task}-baseline"].build())
    lightweight = count_parameters(MODELS[f"{task}-lightweight"].build())

    assert lightweight <= baseline * MAX_PARAMETER_FRACTION


def test_a_list_block_keeps_the_size_and_gives_the_channels_it_replaces_a_convolution_with():
    block = ListBlock(64, 48).eval()

    out = block(torch.rand(2, 64, 9, 7))

    assert out.shape == (2, 48, 9, 7)
    assert count_parameters(block) < 64 * 48 * 9 / 8


def test_the_harmonic_fill_leaves_known_pixels_alone_and_fills_a_flat_image_flat():
    rgb = torch.full((1, 3, 32, 32), 0.25)
    rgb[:, 1] = 0.75
    mask = torch.zeros(1, 1, 32, 32)
    mask[..., 8:20, 10:24] = 1
    holed = rgb * (1 - mask)

    filled = harmonic_fill(holed, mask, sweeps=8, levels=pyramid_levels(32))

    assert torch.equal(filled * (1 - mask), holed * (1 - mask))
    assert torch.allclose(filled, rgb, atol=1e-4)


def test_the_upsampling_starts_without_a_grid_and_folds_its_batchnorm_exactly():
    torch.manual_seed(0)
    up = SubPixelBnUp(16, 8)
    up.train()
    for _ in range(3):  # running statistics of their own, so that folding has something to fold
        up(torch.rand(4, 16, 6, 6))
    up.eval()
    x = torch.rand(1, 16, 6, 6)

    before = up(x)
    up.fold_batchnorm()
    after = up(x)

    phases = [before[..., dy::2, dx::2] for dy in (0, 1) for dx in (0, 1)]
    assert all(torch.allclose(phases[0], phase, atol=1e-6) for phase in phases[1:])
    assert torch.allclose(before, after, atol=1e-5)


@pytest.mark.parametrize("kernel, phases", [(9, 2), (9, 4), (5, 2)])
def test_a_convolution_on_its_phases_gives_the_same_result_and_converts_back_to_the_same_weights(kernel, phases):
    torch.manual_seed(0)
    conv = torch.nn.Conv2d(8, 3, kernel, padding=kernel // 2)
    x = torch.rand(2, 8, 6 * phases, 5 * phases)

    phased = PhasedConvolution(conv, phases)
    back = phased.unphased()

    with torch.no_grad():
        assert torch.allclose(phased(x), conv(x), atol=1e-5)
    assert torch.equal(back.weight, conv.weight) and torch.equal(back.bias, conv.bias)


@pytest.mark.parametrize("model_id", ["sr4-baseline", "sr4-lightweight", "sr4-dwsubpixel"])
def test_an_upscalers_inference_form_gives_the_same_result_and_converts_back_to_the_same_weights(model_id):
    torch.manual_seed(0)
    model = MODELS[model_id].build().eval()
    torch.nn.init.normal_(model.tail.weight, std=0.02)  # the tail starts at zero: give it something to carry
    torch.nn.init.normal_(model.tail.bias, std=0.02)
    for prelu in (m for m in model.modules() if isinstance(m, torch.nn.PReLU)):
        torch.nn.init.uniform_(prelu.weight, -0.5, 0.5)
    x = torch.rand(1, 3, 11, 14)
    trained = copy.deepcopy(model.state_dict())

    before = model(x)
    inference_form(model)
    after = model(x)
    training_form(model)

    assert isinstance(model.tail, torch.nn.Conv2d)
    assert any(isinstance(m, torch.nn.PReLU) for m in model.modules())
    assert torch.allclose(before, after, atol=1e-5)
    assert model.state_dict().keys() == trained.keys()
    assert all(torch.equal(model.state_dict()[name], value) for name, value in trained.items())


def test_a_list_blocks_merged_branches_give_the_same_result_and_split_back_into_the_same_weights():
    torch.manual_seed(0)
    block = ListBlock(64, 48, act=torch.nn.ReLU(), bn=False).eval()
    x = torch.rand(1, 64, 9, 7)
    trained = copy.deepcopy(block.state_dict())

    before = block(x)
    block.merge_branches()
    after = block(x)
    block.split_branches()

    assert torch.allclose(before, after, atol=1e-6)
    assert block.state_dict().keys() == trained.keys()
    assert all(torch.equal(block.state_dict()[name], value) for name, value in trained.items())
