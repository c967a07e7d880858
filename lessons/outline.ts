/**
 * The whole course as planned: every lesson of the syllabus, written or not.
 * A lesson folder `lessons/NN-slug/index.md` replaces its "coming soon" entry
 * in the course map and the sidebar as soon as it exists; nothing else to edit.
 */
export interface OutlineEntry {
  order: number;
  part: string;
  title: string;
  summary: string;
}

export const PARTS = ['I. Backbones', 'II. Detection', 'III. Necks, scaling, reuse', 'IV. Looking inside'] as const;

export const OUTLINE: OutlineEntry[] = [
  { order: 1, part: PARTS[0], title: 'Convolution and pooling', summary: 'Kernels, stride, padding, dilation, receptive fields; CNN vs MLP under shifts.' },
  { order: 2, part: PARTS[0], title: 'Classic CNNs', summary: 'AlexNet, VGG, GoogLeNet, ResNet; plain vs residual deep nets trained side by side.' },
  { order: 3, part: PARTS[0], title: 'Attention and ViT', summary: 'Self-attention, multi-head attention, patches, position embeddings, data hunger.' },
  { order: 4, part: PARTS[0], title: 'Swin Transformer', summary: 'Window attention, shifted windows and masks, patch merging, cost as images grow.' },
  { order: 5, part: PARTS[0], title: 'Scale and self-supervision', summary: 'Scaling laws, MAE, DINO: tiny live runs.' },
  { order: 6, part: PARTS[1], title: 'Boxes, IoU and NMS', summary: 'Box formats, IoU and GIoU, NMS step by step, soft-NMS, anchors, box coding.' },
  { order: 7, part: PARTS[1], title: 'Evaluating a detector', summary: 'Precision, recall, PR curves, VOC and COCO AP.' },
  { order: 8, part: PARTS[1], title: 'The R-CNN family', summary: 'Selective search, RoI pooling and RoIAlign, RPN and a tiny Faster R-CNN.' },
  { order: 9, part: PARTS[1], title: 'Cascade R-CNN', summary: 'Why one IoU threshold is not enough; a cascade of heads.' },
  { order: 10, part: PARTS[1], title: 'One-stage detectors', summary: 'YOLO, SSD, focal loss, RetinaNet, CenterNet.' },
  { order: 11, part: PARTS[1], title: 'DETR', summary: 'Set prediction, Hungarian matching, object queries.' },
  { order: 12, part: PARTS[1], title: 'A real detector on real photos', summary: 'Pretrained COCO detectors on photos, your image or webcam, on every backend.' },
  { order: 13, part: PARTS[2], title: 'Necks', summary: 'FPN, PANet, DetectoRS, BiFPN, NAS-FPN, AugFPN on one detector.' },
  { order: 14, part: PARTS[2], title: 'Deformable convolution', summary: 'Learned offsets and bilinear sampling.' },
  { order: 15, part: PARTS[2], title: 'EfficientNet and EfficientDet', summary: 'Compound scaling, MBConv and SE, joint scaling of a detector.' },
  { order: 16, part: PARTS[2], title: 'Reusing classification features', summary: 'Frozen vs fine-tuned backbones, Copy-Paste, long-tailed classes.' },
  { order: 17, part: PARTS[3], title: 'CNN visualization', summary: 'Filters, activations, saliency, guided backprop, CAM, Grad-CAM, embeddings.' },
];
