// Evidence files (佐证材料) of an item: images and PDF up to 10 MiB, stored by the server under
// their SHA-256 and shown only to those who may see the item.
//   GET  /api/{kind}/{id}/evidence            -> {files: [{sha256, name, size, content_type, uploaded_at, uploaded_by, uploaded_by_name}]}
//   POST /api/{kind}/{id}/evidence  (multipart field "file") -> 201 the file's record
//   GET  /api/{kind}/{id}/evidence/{sha256}   -> the bytes
import { api, ApiError } from '../api.js';
import { h, formatTime } from '../dom.js';
import { actorText } from '../session.js';

export const kMaxEvidenceBytes = 10 * 1024 * 1024;
export const kEvidenceAccept = 'image/jpeg,image/png,image/gif,image/webp,application/pdf';

// The first problem with a chosen file, in words, or '' when it may be sent.
export function checkEvidenceFile(file) {
  if (file.size > kMaxEvidenceBytes) return `「${file.name}」超过 10 MB，请压缩后再上传`;
  if (!/^image\//.test(file.type) && file.type !== 'application/pdf') return `「${file.name}」不是图片或 PDF 文件`;
  return '';
}

// `signal` aborts the upload (取消 while a photo is on its way).
export async function uploadEvidence(base, file, signal) {
  const form = new FormData();
  form.append('file', file, file.name);
  return api.post(`${base}/evidence`, form, {}, signal);
}

function sizeText(bytes) {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

// The list of an item's files as {element, enabled}; on a server without the evidence routes,
// a notice and enabled = false (the progress form then takes no files).
export async function evidenceList(base) {
  let answer;
  try {
    answer = await api.get(`${base}/evidence`);
  } catch (error) {
    if (error instanceof ApiError && error.noRoute) return { element: h('p', { class: 'notice' }, '本服务器尚未开通佐证材料上传。'), enabled: false };
    throw error;
  }
  const files = answer.files || [];
  if (!files.length) return { element: h('p', { class: 'empty', id: 'evidence-empty' }, '尚未上传佐证材料。'), enabled: true };
  return { enabled: true, element: h('ul', { class: 'files', id: 'evidence-files' }, files.map((file) => {
    const href = `${base}/evidence/${file.sha256}`;
    return h('li', { 'data-sha256': file.sha256 },
      /^image\//.test(file.content_type || '') ? h('a', { href, target: '_blank', rel: 'noopener' }, h('img', { src: href, alt: file.name })) : null,
      h('a', { href, download: file.name }, file.name),
      h('span', { class: 'meta' }, `${sizeText(file.size || 0)} · ${formatTime(file.uploaded_at)} · ${actorText(file.uploaded_by, file.uploaded_by_name)}`));
  })) };
}
