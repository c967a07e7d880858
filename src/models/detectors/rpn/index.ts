// The Region Proposal Network's pieces (Faster R-CNN), on the core's matcher, sampler, box coder and NMS.
export { labelAnchors, sampleTargets, type AnchorLabelOptions, type AnchorLabels, type SampledTargets, type SampleOptions } from './anchor-targets';
export { rpnLoss, bceWithLogits, RPN_SMOOTH_L1_BETA, type RpnLossInputs } from './rpn-loss';
export { filterProposals, type ProposalInputs, type ProposalOptions, type Proposals } from './filter-proposals';
